package io.fleetward.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushTriggerTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final VirtualScheduler time = new VirtualScheduler();
    /** Each nudge as "at-millis trigger". */
    private final List<String> nudges = new ArrayList<>();
    private final PushTrigger trigger = new PushTrigger(WINDOW, time,
            name -> nudges.add(time.now().toMillis() + " " + name));

    @Test
    void aSinglePushNudgesAtOnceAndOnlyOnce() {
        assertThat(trigger.push("webhook:github")).isEqualTo(PushTrigger.Outcome.NUDGED);
        assertThat(nudges).containsExactly("0 webhook:github");

        time.advance(Duration.ofMinutes(5));

        assertThat(nudges).containsExactly("0 webhook:github");
        assertThat(time.pending()).isZero();
    }

    @Test
    void aThousandPushesWithinTenSecondsNudgeAtMostTwice() {
        for (int i = 0; i < 1000; i++) {
            trigger.push(i % 2 == 0 ? "webhook:github" : "webhook:gitea");
            time.advance(Duration.ofMillis(10));
        }
        time.advance(Duration.ofMinutes(1));

        // The first at once, the rest in one trailing nudge at the window's end.
        assertThat(nudges).containsExactly("0 webhook:github", "10000 webhook:gitea,webhook:github");
    }

    @Test
    void pushesDuringTheTrailingWindowGetOneMoreNudgeAWindowLater() {
        trigger.push("webhook:github");
        time.advance(Duration.ofSeconds(3));
        assertThat(trigger.push("webhook:github")).isEqualTo(PushTrigger.Outcome.COALESCED);
        time.advance(Duration.ofSeconds(9));
        trigger.push("webhook:gitlab");
        time.advance(Duration.ofMinutes(1));

        assertThat(nudges).containsExactly("0 webhook:github", "10000 webhook:github", "20000 webhook:gitlab");
    }

    @Test
    void aPushAfterAQuietWindowNudgesAtOnceAgain() {
        trigger.push("webhook:github");
        time.advance(Duration.ofSeconds(15));
        assertThat(trigger.push("webhook:generic")).isEqualTo(PushTrigger.Outcome.NUDGED);

        assertThat(nudges).containsExactly("0 webhook:github", "15000 webhook:generic");
    }

    @Test
    void aZeroWindowNudgesOnEveryPush() {
        PushTrigger eager = new PushTrigger(Duration.ZERO, time, nudges::add);
        eager.push("a");
        eager.push("b");

        assertThat(nudges).containsExactly("a", "b");
        assertThat(time.pending()).isZero();
    }

    @Test
    void closingDropsTheTrailingNudge() {
        trigger.push("webhook:github");
        trigger.push("webhook:github");
        trigger.close();
        time.advance(Duration.ofMinutes(1));

        assertThat(nudges).containsExactly("0 webhook:github");
    }

    @Test
    void refusesANegativeWindow() {
        assertThatThrownBy(() -> new PushTrigger(Duration.ofSeconds(-1), time, nudges::add))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
