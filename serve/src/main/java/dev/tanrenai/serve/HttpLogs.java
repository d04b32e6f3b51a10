package dev.tanrenai.serve;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps credentials out of the logs. At debug level Jetty logs every request header, the API and
 * admin keys included ({@code HttpParser}'s parsed headers, {@code HttpChannel}'s request dump), so
 * the HTTP stack's loggers are held at info or less whatever the default level (a quieter default, such as the
 * launcher's warn, is kept) ({@code
 * TANRENAI_LOG_LEVEL=debug} still shows Tanrenai's own debug output). This must run before Jetty
 * creates its loggers; if one was created at debug before, the server refuses to start rather than
 * log a key.
 */
final class HttpLogs {
    private HttpLogs() {}

    /** The logger trees held at info: Jetty's and Javalin's. */
    static final List<String> QUIETED = List.of("org.eclipse.jetty", "io.javalin");

    /** Loggers known to print request headers at debug. */
    private static final List<String> HEADER_LOGGERS = List.of(
            "org.eclipse.jetty.http.HttpParser",
            "org.eclipse.jetty.server.HttpChannel",
            "org.eclipse.jetty.server.HttpChannelOverHttp",
            "org.eclipse.jetty.server.HttpConnection",
            "org.eclipse.jetty.server.Request");

    /**
     * Holds the HTTP loggers at info (slf4j-simple reads a logger's level when the logger is
     * created).
     *
     * @throws IllegalStateException when a header-logging logger already exists at debug
     */
    static void quiet() {
        for (String tree : QUIETED) {
            String key = "org.slf4j.simpleLogger.log." + tree;
            // the tree's own level, else the default level (slf4j-simple's own default is info)
            String level =
                    System.getProperty(key, System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info"));
            if (level.equalsIgnoreCase("debug") || level.equalsIgnoreCase("trace")) {
                System.setProperty(key, "info");
            }
        }
        for (String name : HEADER_LOGGERS) {
            Logger logger = LoggerFactory.getLogger(name);
            if (logger.isDebugEnabled()) {
                throw new IllegalStateException("the logger " + name
                        + " is at debug level and would log API and admin keys from the request headers; set"
                        + " org.slf4j.simpleLogger.log.org.eclipse.jetty=info (or less) before starting the server");
            }
        }
    }
}
