package io.tidelog.tools;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful stop that ends with exit code 0.
 *
 * <p>A JVM killed by SIGTERM runs its shutdown hooks and then exits with 143, and calling
 * {@code System.exit} from inside a hook hangs. So the signals are handled directly: the handler
 * starts {@code stop} on its own thread and the main thread, which is waiting for the broker to
 * terminate, returns and exits normally. A shutdown hook runs {@code stop} too, for every other way
 * the JVM may end ({@code stop} must be idempotent).
 */
final class ShutdownSignals {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    static void install(Runnable stop) {
        Thread stopper = new Thread(stop, "tidelog-shutdown");
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.info("Received SIG{}, shutting down", signal.getName());
                    startOnce(stopper);
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("Cannot handle SIG{} ({}); relying on the shutdown hook", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "tidelog-shutdown-hook"));
    }

    private static synchronized void startOnce(Thread stopper) {
        if (stopper.getState() == Thread.State.NEW) {
            stopper.start();
        }
    }
}
