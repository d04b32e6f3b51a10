package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServeMetricsTest {

    @Test
    void tokensPerSecondCountsGeneratingTimeOnlyAndQueueTimeIsReportedApart() {
        ServeMetrics metrics = new ServeMetrics();
        // two requests of 40 tokens, each generated in 1 s; the second waited 3 s behind the first
        metrics.generation(Arm.CHAMPION, 1.0, 1.0, 40);
        metrics.generation(Arm.CHAMPION, 4.0, 1.0, 40);
        String text = metrics.render(a -> 0);
        // 80 tokens in 2 s of generation: 40/s (counting the wait it would be 80 / 5 s = 16/s)
        assertTrue(text.contains("tanrenai_tokens_per_second{arm=\"champion\"} 40.000"), text);
        assertTrue(text.contains("tanrenai_queue_seconds_total{arm=\"champion\"} 3.000000"), text);
        assertTrue(text.contains("tanrenai_generating_seconds_total{arm=\"champion\"} 2.000000"), text);
        assertTrue(text.contains("tanrenai_generation_seconds_sum{arm=\"champion\"} 5.000000"), text);
        assertTrue(text.contains("tanrenai_generation_seconds_count{arm=\"champion\"} 2"), text);
    }

    @Test
    void failedGenerationsCountAsErrorsWithoutTokens() {
        ServeMetrics metrics = new ServeMetrics();
        metrics.failedGeneration(Arm.CHALLENGER);
        String text = metrics.render(a -> 0);
        assertTrue(text.contains("tanrenai_arm_errors_total{arm=\"challenger\"} 1"), text);
        assertTrue(text.contains("tanrenai_tokens_per_second{arm=\"challenger\"} 0.000"), text);
    }

    @Test
    void generatingLongerThanTheLatencyIsRefused() {
        ServeMetrics metrics = new ServeMetrics();
        assertThrows(IllegalArgumentException.class, () -> metrics.generation(Arm.CHAMPION, 1.0, 2.0, 5));
    }
}
