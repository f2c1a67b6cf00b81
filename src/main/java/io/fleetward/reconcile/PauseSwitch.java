package io.fleetward.reconcile;

import java.util.Optional;

/** The fleet pause, kept across restarts: a paused fleet stays paused after a restart. */
public interface PauseSwitch {

    /** The pause as last saved, or empty when it was never set. */
    Optional<FleetControl> loadPause();

    /** Saves whether the fleet is paused, why and since when. */
    void savePause(FleetControl control);
}
