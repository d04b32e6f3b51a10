package dev.tanrenai.models.download;

import java.net.URI;

/** URLs as they may appear in messages and logs: no user info, no query string (tokens live there). */
final class Redaction {
    private Redaction() {}

    static String url(URI url) {
        StringBuilder sb = new StringBuilder();
        if (url.getScheme() != null) {
            sb.append(url.getScheme()).append("://");
        }
        if (url.getHost() != null) {
            sb.append(url.getHost());
        }
        if (url.getPort() >= 0) {
            sb.append(':').append(url.getPort());
        }
        if (url.getRawPath() != null) {
            sb.append(url.getRawPath());
        }
        if (url.getRawQuery() != null) {
            sb.append("?<redacted>");
        }
        return sb.toString();
    }
}
