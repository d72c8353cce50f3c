package io.tidelog.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReactorSmokeTest {
    @Test
    void runsOnJava17OrLater() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
    }
}
