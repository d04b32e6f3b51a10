package dev.tanrenai.models.download;

import java.io.IOException;

/** A download failed for good; the message names the URL (without secrets) and the reason. */
public class DownloadException extends IOException {
    private final int status;

    /** @param status the HTTP status that ended it, or -1 when it was not an HTTP answer */
    public DownloadException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
