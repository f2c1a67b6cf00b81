package io.fleetward.ui;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import io.fleetward.reconcile.TargetStatus;
import io.fleetward.reconcile.TargetView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Target views of a made-up fleet, for the grid's tests and the render benchmark: no loop, no machines. */
public final class SyntheticFleet {
    private SyntheticFleet() {
    }

    /**
     * {@code hosts} hosts named host0000...: host i is darwin when i % 5 == 0, tagged rack(i % 10), has
     * two home users (alice, bob; IN_SYNC) when i % 4 == 0, and its system target is in status number
     * (i / 3) % 7 when i % 3 == 0, else IN_SYNC.
     */
    public static List<TargetView> of(int hosts, Instant at) {
        List<TargetView> views = new ArrayList<>();
        TargetStatus[] statuses = TargetStatus.values();
        for (int i = 0; i < hosts; i++) {
            String name = String.format("host%04d", i);
            Platform platform = i % 5 == 0 ? Platform.DARWIN : Platform.NIXOS;
            Host host = new Host(name, platform, "root@" + name, "ssh", List.of("rack" + i % 10), List.of(), false);
            TargetStatus status = i % 3 == 0 ? statuses[i / 3 % statuses.length] : TargetStatus.IN_SYNC;
            views.add(view(new Target(TargetId.system(name), host, null, null), status, at));
            if (i % 4 == 0) {
                for (String user : List.of("alice", "bob")) {
                    views.add(view(new Target(TargetId.home(user, name), host, user + "@" + name, List.of()),
                            TargetStatus.IN_SYNC, at));
                }
            }
        }
        views.sort(java.util.Comparator.comparing(v -> v.target().id()));
        return views;
    }

    static TargetView view(Target target, TargetStatus status, Instant at) {
        String path = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-" + target.host().name();
        return new TargetView(target, status, status == TargetStatus.IN_SYNC ? "no relevant change since 1a2b3c4"
                : "modules/machines/nixos/" + target.host().name() + "/default.nix changed since 1a2b3c4",
                "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", "1a2b3c4d5e6f708192a3b4c5d6e7f80912345678",
                new Observation(target.id(), at, path, path, null, null), status == TargetStatus.SUSPENDED, at);
    }
}
