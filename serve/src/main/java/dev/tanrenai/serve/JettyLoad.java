package dev.tanrenai.serve;

import io.javalin.Javalin;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * What Jetty is doing under the endpoint: requests inside the handlers now (reading a body,
 * generating, answering) and the worker threads they hold. Shutdown waits on the first; {@code
 * /metrics} shows the second, so a client that holds a worker is visible.
 */
final class JettyLoad {

    private final Javalin app;

    JettyLoad(Javalin app) {
        this.app = app;
    }

    /** Requests dispatched to the handlers and not finished. */
    int activeRequests() {
        StatisticsHandler stats = app.jettyServer().server().getChildHandlerByClass(StatisticsHandler.class);
        if (stats == null) {
            throw new IllegalStateException("Javalin's Jetty server has no StatisticsHandler to count requests with");
        }
        return stats.getRequestsActive();
    }

    /** Worker threads running a job now (selectors and acceptors excluded). */
    int busyWorkers() {
        ThreadPool pool = app.jettyServer().threadPool();
        if (pool instanceof QueuedThreadPool queued) {
            return queued.getUtilizedThreads();
        }
        throw new IllegalStateException(
                "unexpected Jetty thread pool " + pool.getClass().getName());
    }

    /** The Prometheus gauge of {@link #busyWorkers()}. */
    String metrics() {
        return "# HELP tanrenai_http_workers_busy HTTP worker threads running a request now (this one included).\n"
                + "# TYPE tanrenai_http_workers_busy gauge\n"
                + "tanrenai_http_workers_busy " + busyWorkers() + "\n";
    }
}
