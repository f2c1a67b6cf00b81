package io.fleetward.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * Generates the linear history of a desired-state repository in the clan layout, for benchmarks:
 * {@code flake.nix}/{@code flake.lock}, {@code modules/machines/{nixos,darwin}/<host>/},
 * {@code modules/home/users/<user>/}, shared modules and docs. The first commit holds the whole
 * fleet; every later commit touches 1 to 3 files (mostly host files, then users, shared modules,
 * the lock file and docs; a few add, delete or rename a host's service file).
 *
 * <p>Objects are written straight into one pack with an in-memory tree that re-hashes only the
 * folders along changed paths, so 5,000 commits take seconds, not minutes. The result is a bare
 * repository on branch {@value #BRANCH}, repacked with deltas like a real server's.
 */
public final class FleetHistory {
    public static final String BRANCH = "main";

    private static final String[] NIXOS_ROLES = {"web", "db", "build", "cache", "edge", "mon", "vpn", "ci", "mail", "lab"};
    private static final String[] USER_NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
        "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe"};
    private static final String[] NIXOS_HOST_FILES = {"configuration.nix", "hardware-configuration.nix", "disko.nix", "facter.json"};
    private static final String[] DARWIN_HOST_FILES = {"configuration.nix", "homebrew.nix"};
    private static final String[] USER_FILES = {"default.nix", "packages.nix", "git.nix"};
    private static final String[] SHARED_FILES = {
        "flake.nix", "modules/flake-module.nix", "modules/home/users/lib.nix",
        "modules/nixos/base.nix", "modules/nixos/ssh.nix", "modules/nixos/monitoring.nix", "modules/nixos/users.nix",
        "modules/nixos/nix-settings.nix", "modules/darwin/base.nix", "modules/darwin/homebrew.nix",
        "modules/home/shell.nix", "modules/home/editor.nix", "modules/home/git.nix", "modules/shared/overlays.nix"};
    private static final String[] DOC_FILES = {"README.md", "docs/onboarding.md", "docs/hosts.md", "docs/runbook.md"};
    private static final String[] AUTHORS = {"Ada Admin", "Linus Ops", "Grace Builder"};
    private static final Instant START = Instant.parse("2024-01-01T09:00:00Z");

    private FleetHistory() {
    }

    /** The host and user names of a generated repository; they depend only on the counts, not on the seed. */
    public record Layout(List<String> nixosHosts, List<String> darwinHosts, List<String> users) {
        public List<String> hosts() {
            List<String> all = new ArrayList<>(nixosHosts);
            all.addAll(darwinHosts);
            return List.copyOf(all);
        }

        public boolean isDarwin(String host) {
            return darwinHosts.contains(host);
        }

        /** The repository folder of {@code host}, e.g. {@code modules/machines/nixos/web-000}. */
        public String hostFolder(String host) {
            return "modules/machines/" + (isDarwin(host) ? "darwin/" : "nixos/") + host;
        }

        /** The repository folder of {@code user}, e.g. {@code modules/home/users/alice}. */
        public String userFolder(String user) {
            return "modules/home/users/" + user;
        }
    }

    /** Every fifth host is a nix-darwin machine ({@code mac-NNN}), the others NixOS ({@code <role>-NNN}). */
    public static Layout layout(int hosts, int users) {
        List<String> nixos = new ArrayList<>();
        List<String> darwin = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            if (i % 5 == 4) {
                darwin.add(String.format("mac-%03d", i));
            } else {
                nixos.add(String.format("%s-%03d", NIXOS_ROLES[i % NIXOS_ROLES.length], i));
            }
        }
        List<String> userNames = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            int round = i / USER_NAMES.length;
            userNames.add(USER_NAMES[i % USER_NAMES.length] + (round == 0 ? "" : String.valueOf(round + 1)));
        }
        return new Layout(List.copyOf(nixos), List.copyOf(darwin), List.copyOf(userNames));
    }

    /**
     * Writes a bare repository with {@code commits} commits on {@link #BRANCH} into {@code dir}
     * (created; must not exist or be empty) and returns its path, usable as a JGit URL.
     */
    public static Path generate(Path dir, int hosts, int users, int commits, long seed) throws IOException {
        if (commits < 1 || hosts < 1) {
            throw new IllegalArgumentException("need at least one commit and one host");
        }
        Files.createDirectories(dir);
        try {
            Git.init().setBare(true).setGitDir(dir.toFile()).setInitialBranch(BRANCH).call().close();
        } catch (GitAPIException e) {
            throw new IOException(e);
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build()) {
            ObjectId tip;
            try (PackInserter inserter = ((FileRepository) repo).getObjectDatabase().newPackInserter()) {
                tip = new Writer(inserter, layout(hosts, users), new Random(seed)).write(commits);
                inserter.flush();
            }
            RefUpdate update = repo.updateRef(Constants.R_HEADS + BRANCH);
            update.setNewObjectId(tip);
            update.setExpectedOldObjectId(ObjectId.zeroId());
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW) {
                throw new IOException("cannot set " + BRANCH + ": " + result);
            }
            // Repack like a server would, with delta search over the inserter's whole (delta-less)
            // objects; its pack is dropped at once instead of after an hour.
            repo.getConfig().setString(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_PRUNEPACKEXPIRE, "now");
            PackConfig repack = new PackConfig(repo);
            repack.setReuseObjects(false);
            GC gc = new GC((FileRepository) repo);
            gc.setPackConfig(repack);
            try {
                gc.gc().join();
            } catch (GitAPIException | ParseException e) {
                throw new IOException(e);
            }
        }
        return dir;
    }

    /** The commit ids of {@link #BRANCH} in {@code repo}, oldest first. */
    public static List<String> revisions(Path repo) throws IOException {
        try (Repository repository = new FileRepositoryBuilder().setGitDir(repo.toFile()).setMustExist(true).build();
                RevWalk walk = new RevWalk(repository)) {
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.REVERSE, true);
            walk.markStart(walk.parseCommit(repository.resolve(Constants.R_HEADS + BRANCH)));
            List<String> ids = new ArrayList<>();
            for (RevCommit commit : walk) {
                ids.add(commit.name());
            }
            return ids;
        }
    }

    /** Builds the commits: the fleet's files as an in-memory tree plus the random edits. */
    private static final class Writer {
        private final ObjectInserter inserter;
        private final Layout layout;
        private final Random random;
        private final Folder root = new Folder();
        /** Service files added to hosts by earlier commits: candidates for deletes and renames. */
        private final List<String> addedFiles = new ArrayList<>();
        /** The current lines of every file, so that an edit changes only a few of them. */
        private final Map<String, List<String>> contents = new HashMap<>();
        private int edits;

        Writer(ObjectInserter inserter, Layout layout, Random random) {
            this.inserter = inserter;
            this.layout = layout;
            this.random = random;
        }

        ObjectId write(int commits) throws IOException {
            for (String path : initialFiles()) {
                put(path);
            }
            Instant time = START;
            ObjectId parent = commit(null, "Initial fleet", time);
            for (int i = 1; i < commits; i++) {
                int changes = 1 + random.nextInt(3);
                String subject = null;
                for (int c = 0; c < changes; c++) {
                    String what = edit();
                    subject = subject == null ? what : subject;
                }
                time = time.plus(5 + random.nextInt(600), ChronoUnit.MINUTES);
                parent = commit(parent, subject, time);
            }
            return parent;
        }

        private List<String> initialFiles() {
            List<String> paths = new ArrayList<>(List.of(SHARED_FILES));
            paths.add("flake.lock");
            paths.addAll(List.of(DOC_FILES));
            for (String host : layout.hosts()) {
                for (String file : hostFiles(host)) {
                    paths.add(layout.hostFolder(host) + "/" + file);
                }
            }
            for (String user : layout.users()) {
                for (String file : USER_FILES) {
                    paths.add(layout.userFolder(user) + "/" + file);
                }
            }
            return paths;
        }

        /** One random edit; returns a commit subject describing it. */
        private String edit() throws IOException {
            int roll = random.nextInt(100);
            if (roll < 50 || layout.users().isEmpty() && roll < 65) {
                String host = pick(layout.hosts());
                String file = layout.hostFolder(host) + "/" + pick(List.of(hostFiles(host)));
                put(file);
                return host + ": update " + file.substring(file.lastIndexOf('/') + 1);
            } else if (roll < 65) {
                String user = pick(layout.users());
                put(layout.userFolder(user) + "/" + pick(List.of(USER_FILES)));
                return "home/" + user + ": update packages";
            } else if (roll < 77) {
                String file = pick(List.of(SHARED_FILES));
                put(file);
                return "shared: update " + file;
            } else if (roll < 85) {
                put("flake.lock");
                return "flake.lock: update inputs";
            } else if (roll < 90) {
                put(pick(List.of(DOC_FILES)));
                return "docs: update";
            } else if (roll < 94 || addedFiles.isEmpty()) {
                String host = pick(layout.hosts());
                String file = layout.hostFolder(host) + "/services/svc-" + edits + ".nix";
                put(file);
                addedFiles.add(file);
                return host + ": add service";
            } else if (roll < 97) {
                String file = addedFiles.remove(random.nextInt(addedFiles.size()));
                root.remove(file);
                contents.remove(file);
                return "remove service " + file;
            } else {
                String from = addedFiles.remove(random.nextInt(addedFiles.size()));
                String to = from.replace(".nix", "-renamed.nix");
                root.put(to, root.remove(from));
                contents.put(to, contents.remove(from));
                addedFiles.add(to);
                return "rename service " + from;
            }
        }

        private String[] hostFiles(String host) {
            return layout.isDarwin(host) ? DARWIN_HOST_FILES : NIXOS_HOST_FILES;
        }

        private String pick(List<String> from) {
            return from.get(random.nextInt(from.size()));
        }

        /**
         * Writes a new version of {@code path}: a new file gets 15 to 75 lines, an existing one has
         * 1 to 3 lines changed (so versions delta-compress like real edits).
         */
        private void put(String path) throws IOException {
            edits++;
            List<String> lines = contents.get(path);
            if (lines == null) {
                lines = new ArrayList<>();
                lines.add("# " + path);
                lines.add("{ config, lib, pkgs, ... }:");
                int count = 15 + random.nextInt(60);
                for (int i = 0; i < count; i++) {
                    lines.add(line());
                }
                contents.put(path, lines);
            } else {
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    lines.set(2 + random.nextInt(lines.size() - 2), line());
                }
            }
            String text = String.join("\n", lines) + "\n";
            root.put(path, inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8)));
        }

        private String line() {
            return "  services.option" + random.nextInt(1000) + ".value = \"" + Long.toHexString(random.nextLong()) + "\";";
        }

        private ObjectId commit(ObjectId parent, String subject, Instant time) throws IOException {
            String name = AUTHORS[random.nextInt(AUTHORS.length)];
            PersonIdent who = new PersonIdent(name, name.toLowerCase().replace(' ', '.') + "@example.org", time,
                    ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(root.write(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage(subject + "\n");
            return inserter.insert(commit);
        }
    }

    /** A folder of the in-memory tree; remembers its tree id until something below it changes. */
    private static final class Folder {
        private final Map<String, Folder> folders = new TreeMap<>();
        private final Map<String, ObjectId> files = new TreeMap<>();
        private ObjectId id;

        void put(String path, ObjectId blob) {
            id = null;
            int slash = path.indexOf('/');
            if (slash < 0) {
                files.put(path, blob);
            } else {
                folders.computeIfAbsent(path.substring(0, slash), name -> new Folder()).put(path.substring(slash + 1), blob);
            }
        }

        /** Removes the file at {@code path} (and folders left empty); returns its blob id. */
        ObjectId remove(String path) {
            id = null;
            int slash = path.indexOf('/');
            if (slash < 0) {
                return files.remove(path);
            }
            String name = path.substring(0, slash);
            Folder child = folders.get(name);
            ObjectId blob = child.remove(path.substring(slash + 1));
            if (child.folders.isEmpty() && child.files.isEmpty()) {
                folders.remove(name);
            }
            return blob;
        }

        ObjectId write(ObjectInserter inserter) throws IOException {
            if (id != null) {
                return id;
            }
            // Git sorts a folder as if its name ended with '/'.
            List<Map.Entry<String, Object>> entries = new ArrayList<>();
            folders.forEach((name, folder) -> entries.add(Map.entry(name + "/", folder)));
            files.forEach((name, blob) -> entries.add(Map.entry(name, blob)));
            Collections.sort(entries, Comparator.comparing(Map.Entry::getKey));
            TreeFormatter tree = new TreeFormatter();
            for (Map.Entry<String, Object> entry : entries) {
                if (entry.getValue() instanceof Folder folder) {
                    String name = entry.getKey();
                    tree.append(name.substring(0, name.length() - 1), FileMode.TREE, folder.write(inserter));
                } else {
                    tree.append(entry.getKey(), FileMode.REGULAR_FILE, (ObjectId) entry.getValue());
                }
            }
            id = inserter.insert(tree);
            return id;
        }
    }
}
