package dev.tanrenai.datasets.store;

/** JDBC URLs as they may be recorded (provenance, logs): without user names or passwords. */
public final class JdbcUrls {
    private JdbcUrls() {}

    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password|user)=[^&;]*", "$1=***").replaceAll("//[^/@]+@", "//***@");
    }
}
