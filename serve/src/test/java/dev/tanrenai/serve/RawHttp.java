package dev.tanrenai.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 client over a raw loopback socket that sends exactly the bytes it is given, pausing
 * between them, while a reader takes the answer as soon as it comes (so a server answering before
 * the body is complete is seen, not lost to a reset).
 */
final class RawHttp {
    private RawHttp() {}

    /** Bytes to send, then a pause. */
    record Step(byte[] bytes, long pauseMillis) {
        static Step of(String text) {
            return new Step(text.getBytes(StandardCharsets.UTF_8), 0);
        }

        static Step pause(long millis) {
            return new Step(new byte[0], millis);
        }
    }

    /**
     * What came back.
     *
     * @param status the status code, or -1 when the connection ended without a status line
     * @param millis from connecting to the end of the answer (or of the failure)
     * @param failure why no complete answer came, or null
     */
    record Answer(int status, String head, String body, long millis, String failure) {
        boolean answered() {
            return status > 0;
        }

        @Override
        public String toString() {
            return status + " in " + millis + " ms" + (failure == null ? "" : " (" + failure + ")") + ": " + body;
        }
    }

    /** A request line and headers (CRLF-joined, ending with the blank line) followed by {@code body}. */
    static String request(String method, String path, String body, String... headers) {
        StringBuilder s = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            s.append(h).append("\r\n");
        }
        return s.append("\r\n").append(body).toString();
    }

    /** A POST with a correct Content-Length. */
    static String post(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type: application/json";
        all[1] = "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return request("POST", path, body, all);
    }

    static Answer exchange(int port, Duration readTimeout, String request) {
        return exchange(port, readTimeout, List.of(Step.of(request)));
    }

    /**
     * Sends the steps on a new connection (the output is left open afterwards, like a client still
     * about to send) and reads one answer, waiting at most {@code readTimeout} for each read.
     */
    static Answer exchange(int port, Duration readTimeout, List<Step> steps) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            OutputStream out = socket.getOutputStream();
            List<String> writeFailure = new ArrayList<>();
            Thread writer = new Thread(
                    () -> {
                        try {
                            for (Step step : steps) {
                                if (step.bytes().length > 0) {
                                    out.write(step.bytes());
                                    out.flush();
                                }
                                if (step.pauseMillis() > 0) {
                                    Thread.sleep(step.pauseMillis());
                                }
                            }
                        } catch (IOException e) {
                            writeFailure.add("write: " + e.getMessage());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            Answer answer = read(socket.getInputStream(), started);
            writer.interrupt();
            return answer;
        } catch (IOException e) {
            return new Answer(-1, "", "", millisSince(started), "connect: " + e);
        }
    }

    private static Answer read(InputStream in, long started) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int matched = 0;
            while (matched < 4 || interim(head)) {
                if (matched == 4) { // an interim answer (100 Continue): the final one follows
                    head.reset();
                    matched = 0;
                }
                int b = in.read();
                if (b < 0) {
                    return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), "", millisSince(started), "EOF");
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            String[] statusLine = headText.split("\r\n", 2)[0].split(" ");
            int status = Integer.parseInt(statusLine[1]);
            String lower = headText.toLowerCase(Locale.ROOT);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String failure = null;
            try {
                if (lower.contains("transfer-encoding: chunked")) {
                    readChunked(in, body);
                } else if (lower.contains("content-length:")) {
                    int from = lower.indexOf("content-length:") + "content-length:".length();
                    long length = Long.parseLong(
                            lower.substring(from, lower.indexOf("\r\n", from)).trim());
                    for (long i = 0; i < length; i++) {
                        int b = in.read();
                        if (b < 0) {
                            throw new IOException("EOF in the body");
                        }
                        body.write(b);
                    }
                } else {
                    in.transferTo(body);
                }
            } catch (IOException e) {
                failure = "body: " + e;
            }
            return new Answer(status, headText, body.toString(StandardCharsets.UTF_8), millisSince(started), failure);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), "", millisSince(started), "timeout");
        } catch (IOException | RuntimeException e) {
            return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), "", millisSince(started), e.toString());
        }
    }

    private static boolean interim(ByteArrayOutputStream head) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.startsWith("HTTP/1.1 1") || text.startsWith("HTTP/1.0 1");
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            String size = line(in).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                line(in);
                return;
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                s.append((char) b);
            }
        }
        if (b < 0) {
            throw new IOException("EOF in a chunked body");
        }
        return s.toString();
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
