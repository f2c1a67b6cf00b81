package io.fleetward.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Turns the demo fleet's files into a git repository, once; later runs keep its history. */
public final class DemoRepository {
    private DemoRepository() {
    }

    /** Whether {@code folder} already is a git work tree. */
    public static boolean exists(Path folder) {
        return Files.isDirectory(folder.resolve(".git"));
    }

    /** Makes {@code folder} a repository on branch {@code main} whose first commit holds all its files. */
    public static void initialCommit(Path folder) throws IOException {
        try (Git git = Git.init().setDirectory(folder.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            PersonIdent demo = new PersonIdent("fleetward demo", "demo@fleetward.invalid");
            git.commit().setMessage("Demo fleet: eight hosts, five users").setAuthor(demo).setCommitter(demo)
                    .setSign(false).call();
        } catch (GitAPIException e) {
            throw new IOException("cannot create the demo repository: " + e.getMessage(), e);
        }
    }
}
