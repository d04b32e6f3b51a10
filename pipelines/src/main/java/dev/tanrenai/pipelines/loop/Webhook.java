package dev.tanrenai.pipelines.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nightly loop's notification: a JSON POST whose {@code text} field is the message (so Slack- and
 * Mattermost-style incoming webhooks show it), with the run's id, event and state alongside.
 */
public final class Webhook {

    /** Why the webhook was called. */
    public enum Event {
        PROMOTED,
        REFUSED,
        FAILED
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Webhook(String url) {
        this.url = URI.create(url);
    }

    /**
     * Posts the notification.
     *
     * @throws WebhookException naming the URL when it cannot be reached or does not answer 2xx
     */
    public void send(Event event, String runId, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("event", event.name().toLowerCase(java.util.Locale.ROOT));
        body.put("run", runId);
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new WebhookException("webhook " + url + " answered HTTP " + r.statusCode() + ": "
                        + r.body().substring(0, Math.min(200, r.body().length())));
            }
        } catch (IOException e) {
            throw new WebhookException("webhook " + url + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookException("webhook " + url + ": interrupted", e);
        }
    }

    /** The webhook could not deliver its notification. */
    public static final class WebhookException extends RuntimeException {
        public WebhookException(String message) {
            super(message);
        }

        public WebhookException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
