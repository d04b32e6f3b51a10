package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    /** Planted canaries and the placeholder each must become. */
    static final Map<String, String> CANARIES = Map.ofEntries(
            Map.entry("mail me at jane.doe+canary@example.org today", "<EMAIL>"),
            Map.entry("call +1 (415) 555-0132 now", "<PHONE>"),
            Map.entry("card 4111 1111 1111 1111 exp 12/29", "<CARD>"),
            Map.entry("server 192.168.10.45 is down", "<IPV4>"),
            Map.entry("v6 2001:db8:85a3::8a2e:370:7334 ok", "<IPV6>"),
            Map.entry("key sk-canaryABCDEFGHIJKLMNOP1234 leaked", "<API_KEY>"),
            Map.entry("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used", "<API_KEY>"),
            Map.entry("aws AKIAIOSFODNN7CANARY1 key", "<API_KEY>"),
            Map.entry("slack xoxb-123456789012-canarytoken in chat", "<API_KEY>"),
            Map.entry("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5 here", "<JWT>"),
            Map.entry("-----BEGIN RSA PRIVATE KEY-----\nMIIEcanary\n-----END RSA PRIVATE KEY-----", "<PRIVATE_KEY>"),
            Map.entry("db postgres://admin:hunter2canary@db.internal/app", "<URL_CREDENTIALS>"));

    @Test
    void everyPlantedCanaryBecomesItsPlaceholder() {
        Redactor r = new Redactor();
        for (Map.Entry<String, String> e : CANARIES.entrySet()) {
            Redactor.Result result = r.redact(e.getKey());
            assertTrue(result.text().contains(e.getValue()), e.getKey() + " -> " + result.text());
            assertFalse(
                    result.text().contains("canary") && !e.getValue().equals("<EMAIL>"),
                    "no canary survives: " + result.text());
        }
        assertEquals("<EMAIL> and <EMAIL>", r.redact("a@b.io and c.d@e.co.uk").text());
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        Redactor r = new Redactor();
        for (String s : new String[] {
            "order 4111 1111 1111 1112 (fails Luhn)",
            "std::vector<int> v;",
            "version 1.2.3.4.5",
            "meet at 12:30",
            "temper at 200 °C for 1 hour",
            "it costs 1234 dollars"
        }) {
            assertEquals(s, r.redact(s).text(), s);
        }
        assertTrue(Redactor.luhn("4111111111111111"));
        assertFalse(Redactor.luhn("4111111111111112"));
    }
}
