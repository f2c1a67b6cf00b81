package io.fleetward.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImpactSectionHistoryTest {
    private static final Map<String, String> OVERLAYS = Map.of(
            "with", "impact:\n  ignore: [bun.lock]\n",
            "refused", "impact:\n  ignore: [/etc/**]\n",
            "without", "hosts: {}\n");

    private final List<String> reads = new ArrayList<>();
    private final ImpactSectionHistory history = new ImpactSectionHistory(
            new InventoryLoader("fleetward.yaml", Optional.empty(), "local"), revision -> {
                reads.add(revision);
                if (revision.equals("unknown")) {
                    throw new IllegalArgumentException("unknown revision " + revision);
                }
                InMemoryRevisionFiles files = new InMemoryRevisionFiles();
                return revision.equals("no-overlay") ? files : files.file("fleetward.yaml", OVERLAYS.get(revision));
            });

    @Test
    void readsTheSectionOfEachRevision() {
        assertEquals(Optional.of(new ImpactSection(List.of("bun.lock"), List.of(), List.of())), history.at("with"));
        assertEquals(Optional.of(ImpactSection.NONE), history.at("without"));
        assertEquals(Optional.of(ImpactSection.NONE), history.at("no-overlay"));
    }

    @Test
    void aRefusedOverlayOrAnUnknownRevisionHasNoSection() {
        assertEquals(Optional.empty(), history.at("refused"));
        assertEquals(Optional.empty(), history.at("unknown"));
    }

    @Test
    void readsEachKnownRevisionOnce() {
        history.at("with");
        history.at("without");
        history.at("refused");
        history.at("with");
        history.at("refused");

        assertEquals(List.of("with", "without", "refused"), reads);
    }

    @Test
    void asksAgainAboutARevisionThatWasUnknown() {
        history.at("unknown");
        history.at("unknown");

        assertEquals(List.of("unknown", "unknown"), reads);
    }
}
