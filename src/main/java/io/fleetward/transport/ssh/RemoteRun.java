package io.fleetward.transport.ssh;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How a command run over SSH can be ended on the host, not only have its channel closed.
 *
 * <p>Closing an exec channel does not end the command: with no terminal sshd sends no hangup, so the
 * command (and what it started) runs on until it ends or fails writing its output. The SSH
 * {@code signal} request would reach only the shell sshd started, not its children, and OpenSSH
 * answers it only on recent versions. So each command's shell first writes its process id to
 * {@code ~/.cache/fleetward/run/<id>.pid} (and removes the file when it exits). OpenSSH's sshd
 * starts every non-terminal session in a new session ({@code setsid}), so that shell leads a process
 * group holding the command and its children. On a timeout a second channel on the same connection
 * reads the file and sends SIGTERM to the whole group, then SIGKILL after a grace period to whatever
 * is left; where the shell does not lead its own group (another SSH server), only it is signalled,
 * never the group of the server.
 */
final class RemoteRun {
    /** How long the group may take to end after SIGTERM before it gets SIGKILL, in tenths of a second. */
    static final int GRACE_TENTHS = 50;
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private static final String DIR = "\"$HOME/.cache/fleetward/run\"";

    private final String id;

    private RemoteRun(String id) {
        this.id = id;
    }

    static RemoteRun next() {
        return new RemoteRun(UUID.randomUUID().toString());
    }

    String id() {
        return id;
    }

    private String pidFile() {
        // The id is generated here (hex and dashes): nothing to quote.
        if (!ID.matcher(id).matches()) {
            throw new IllegalStateException("malformed run id");
        }
        return DIR + "/" + id + ".pid";
    }

    /**
     * {@code line}, preceded by writing the pid file and a trap that removes it on exit. A failure to
     * write the file (read-only home) does not stop the command; it can then only be cut off.
     */
    String wrap(String line) {
        String file = pidFile();
        return "{ mkdir -p " + DIR + " && printf '%s\\n' \"$$\" > " + file + "; } 2>/dev/null\n"
                + "trap 'rm -f " + file + "' EXIT\n"
                + line;
    }

    /**
     * The command line, run on a second channel, that ends the command: prints {@code group},
     * {@code process} (what was signalled), {@code killed} when SIGKILL was needed, or {@code gone}
     * (the pid file is gone: the command ended or never wrote it).
     */
    String killLine() {
        String file = pidFile();
        return "f=" + file + "\n"
                + "pid=$(cat \"$f\" 2>/dev/null); rm -f \"$f\"\n"
                + "case $pid in ''|*[!0-9]*) echo gone; exit 0;; esac\n"
                + "pgid=$(ps -o pgid= -p \"$pid\" 2>/dev/null | tr -d ' ')\n"
                + "if [ \"$pgid\" = \"$pid\" ]; then t=-$pid; echo group; else t=$pid; echo process; fi\n"
                // No "--": dash's kill takes it for a process id; a negative id after the signal is a group.
                + "kill -TERM $t 2>/dev/null || exit 0\n"
                + "i=0; while [ $i -lt " + GRACE_TENTHS + " ] && kill -0 $t 2>/dev/null; do sleep 0.1; i=$((i+1)); done\n"
                + "if kill -KILL $t 2>/dev/null; then echo killed; fi\n"
                + "exit 0";
    }
}
