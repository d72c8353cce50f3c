package io.tidelog.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Clients that are not Java libraries (kcat, kafkajs under Node.js) are programs on the machine.
 * On a developer machine without them their tests are skipped; under CI (the {@code CI} variable
 * set) they must be there, because {@code .ci/run} installs them.
 */
final class ExternalClients {

    private ExternalClients() {
    }

    /** Skips the calling test class when {@code command} does not run, unless under CI, where that fails. */
    static void require(String what, String installHint, String... command) {
        boolean installed = runs(command);
        if (System.getenv("CI") == null) {
            assumeTrue(installed, what + " is not installed (" + installHint + "); CI runs these tests");
        } else {
            assertThat(installed).as("%s must be installed when CI is set (.ci/run installs it)", what).isTrue();
        }
    }

    /** True when {@code command} starts and exits 0 within 10 s. */
    static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
