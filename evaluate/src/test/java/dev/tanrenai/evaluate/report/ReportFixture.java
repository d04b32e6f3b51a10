package dev.tanrenai.evaluate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The hand-written {@code report/report-fixture.json}: a fresh, mutable copy per call. */
final class ReportFixture {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportFixture() {}

    static ObjectNode load() {
        try (InputStream in = ReportFixture.class.getResourceAsStream("/report/report-fixture.json")) {
            if (in == null) {
                throw new IllegalStateException("test resource /report/report-fixture.json is missing");
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report fixture", e);
        }
    }

    static ObjectNode suite(ObjectNode report, int index) {
        return (ObjectNode) report.withArray("suites").get(index);
    }
}
