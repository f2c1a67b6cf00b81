package io.fleetward.source;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Refs {@code refs/fleetward/keep/<commit>} that hold the commits the ledger names, so that a repack
 * never prunes one that a force-push left unreachable. Set to exactly the named commits the clone has.
 */
final class KeepRefs {
    static final String PREFIX = "refs/fleetward/keep/";

    private KeepRefs() {
    }

    /** Makes the keep refs name exactly the commits of {@code keep} present in the clone; returns how many. */
    static int update(Repository repository, Set<String> keep) throws IOException {
        List<Ref> existing = repository.getRefDatabase().getRefsByPrefix(PREFIX);
        Set<String> present = new HashSet<>();
        BatchRefUpdate batch = repository.getRefDatabase().newBatchUpdate();
        batch.setAllowNonFastForwards(true);
        for (Ref ref : existing) {
            String id = ref.getName().substring(PREFIX.length());
            if (keep.contains(id)) {
                present.add(id);
            } else {
                batch.addCommand(new ReceiveCommand(ref.getObjectId(), ObjectId.zeroId(), ref.getName()));
            }
        }
        int kept = present.size();
        try (RevWalk walk = new RevWalk(repository)) {
            for (String id : keep) {
                if (present.contains(id) || !ObjectId.isId(id)) {
                    continue;
                }
                ObjectId commit = ObjectId.fromString(id);
                if (!repository.getObjectDatabase().has(commit)) {
                    continue;
                }
                batch.addCommand(new ReceiveCommand(ObjectId.zeroId(), commit, PREFIX + id));
                kept++;
            }
            if (!batch.getCommands().isEmpty()) {
                batch.execute(walk, org.eclipse.jgit.lib.NullProgressMonitor.INSTANCE);
                for (ReceiveCommand command : batch.getCommands()) {
                    if (command.getResult() != ReceiveCommand.Result.OK) {
                        throw new IOException("cannot update " + command.getRefName() + ": " + command.getResult());
                    }
                }
            }
        }
        return kept;
    }
}
