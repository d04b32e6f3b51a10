package dev.tanrenai.serve;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * What Jetty is doing under the endpoint: the requests taken in and not yet answered, from their
 * first line until their response has been written out (a handler returning is not enough: Jetty
 * flushes the response after it), and the worker threads busy. Shutdown waits on the first;
 * {@code /metrics} shows the second, so a client that holds a worker is visible.
 */
final class JettyLoad implements HttpChannel.Listener {

    private final Javalin app;
    private final Map<Request, long[]> taken = new ConcurrentHashMap<>(); // {began nanos, dispatched 0/1}

    JettyLoad(Javalin app) {
        this.app = app;
    }

    /** Starts following requests on the started server's connectors. */
    void attach() {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (!(connector instanceof AbstractConnector c)) {
                throw new IllegalStateException(
                        "unexpected Jetty connector " + connector.getClass().getName());
            }
            c.addBean(this);
        }
    }

    @Override
    public void onRequestBegin(Request request) {
        taken.put(request, new long[] {System.nanoTime(), 0});
    }

    @Override
    public void onBeforeDispatch(Request request) {
        long[] state = taken.get(request);
        if (state != null) {
            state[1] = 1;
        }
    }

    @Override
    public void onComplete(Request request) {
        taken.remove(request);
    }

    /**
     * Requests taken in whose answer is not yet written: those being handled, and those whose body is
     * still due (begun less than {@code bodyTimeout} ago). A closed connection has nothing to wait for.
     */
    int unanswered(Duration bodyTimeout) {
        long now = System.nanoTime();
        int n = 0;
        for (Map.Entry<Request, long[]> e : taken.entrySet()) {
            if (!e.getKey().getHttpChannel().getEndPoint().isOpen()) {
                taken.remove(e.getKey(), e.getValue());
            } else if (e.getValue()[1] == 1 || now - e.getValue()[0] < bodyTimeout.toNanos()) {
                n++;
            }
        }
        return n;
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
