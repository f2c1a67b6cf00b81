package io.fleetward.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetward.Wiring;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SshTransport} against a real OpenSSH server on loopback. */
class SshTransportTest {
    @TempDir
    static Path shared;
    /** One server for the tests that do not stop it or change its keys. */
    static OpenSshServer server;
    static Path key;
    static Path knownHosts;
    /** A transport whose pooled session the read-only tests share, so they do not each log in. */
    static SshTransport pooled;

    @TempDir
    Path dir;
    private final List<SshTransport> transports = new ArrayList<>();
    private final List<OpenSshServer> servers = new ArrayList<>();
    private final List<String> connects = new CopyOnWriteArrayList<>();
    private final SshMetrics metrics = new SshMetrics() {
        @Override
        public void sshConnect(String result) {
            connects.add(result);
        }
    };

    @BeforeAll
    static void startServer() throws IOException {
        server = OpenSshServer.start(shared.resolve("sshd"), "127.0.0.21");
        key = OpenSshServer.keygen("ed25519", shared.resolve("keys/id_ed25519"));
        server.authorize(Path.of(key + ".pub"));
        knownHosts = shared.resolve("known_hosts");
        server.writeKnownHosts(knownHosts);
        pooled = new SshTransport(settings(key, knownHosts, HostKeyPolicy.STRICT), SshMetrics.NOOP,
                Wiring::sshAddress);
    }

    @AfterAll
    static void stopServer() {
        pooled.close();
        server.stop();
    }

    @AfterEach
    void closeAll() {
        transports.forEach(SshTransport::close);
        servers.forEach(OpenSshServer::stop);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void logsInWithEachClientKeyType(String type) throws Exception {
        Path typed = OpenSshServer.keygen(type, dir.resolve("id_" + type));
        server.authorize(Path.of(typed + ".pub"));
        SshTransport ssh = transport(settings(typed, knownHosts, HostKeyPolicy.STRICT));
        CommandResult result = ssh.run(request(server, "echo hello $(id -un)"));
        assertThat(result.stdout()).isEqualTo("hello root\n");
        assertThat(result.succeeded()).isTrue();
        assertThat(connects).containsExactly("ok");
    }

    @Test
    void anUnknownHostKeyIsRefusedNamingHostAndFingerprintAndNothingRuns() throws Exception {
        Path marker = dir.resolve("ran");
        SshTransport ssh = transport(settings(key, dir.resolve("empty_known_hosts"), HostKeyPolicy.STRICT));
        assertThatThrownBy(() -> ssh.run(request(server, "touch " + CommandTemplate.quote(marker.toString()))))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("host key of " + server.address() + ":" + server.port() + " is not in "
                        + dir.resolve("empty_known_hosts"))
                .hasMessageContaining("ssh-ed25519 " + server.fingerprint("ed25519"))
                .hasMessageContaining("nothing was run");
        assertThat(marker).doesNotExist();
        assertThat(connects).containsExactly("host_key_refused");
    }

    @ParameterizedTest
    @EnumSource(HostKeyPolicy.class)
    void aChangedHostKeyIsRefusedUnderEveryPolicy(HostKeyPolicy policy) throws Exception {
        OpenSshServer own = ownServer("127.0.0.22");
        Path file = dir.resolve("known_hosts");
        own.writeKnownHosts(file);
        own.swapHostKeys();
        Path marker = dir.resolve("ran");
        SshTransport ssh = transport(settings(key, file, policy));
        assertThatThrownBy(() -> ssh.run(request(own, "touch " + CommandTemplate.quote(marker.toString()))))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("host key of 127.0.0.22:" + own.port() + " CHANGED")
                .hasMessageContaining(own.fingerprint("ed25519"));
        assertThat(marker).doesNotExist();
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void acceptNewRecordsTheFirstKeyThenTrustsItThenRefusesAChangedOne() throws Exception {
        OpenSshServer own = ownServer("127.0.0.23");
        Path file = dir.resolve("tofu/known_hosts");
        SshSettings settings = settings(key, file, HostKeyPolicy.ACCEPT_NEW);
        assertThat(transport(settings).run(request(own, "true")).succeeded()).isTrue();
        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(own.knownHostsLines());

        // A new transport opens a new session: the recorded key is now simply known.
        assertThat(transport(settings).run(request(own, "true")).succeeded()).isTrue();
        assertThat(Files.readAllLines(file)).hasSize(1);

        own.swapHostKeys();
        assertThatThrownBy(() -> transport(settings).run(request(own, "true")))
                .hasMessageContaining("CHANGED").hasMessageContaining(own.fingerprint("ed25519"));
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void concurrentFirstConnectionsRecordTheKeyOnce() throws Exception {
        OpenSshServer own = ownServer("127.0.0.24");
        Path file = dir.resolve("known_hosts");
        List<SshTransport> many = IntStream.range(0, 6)
                .mapToObj(i -> transport(settings(key, file, HostKeyPolicy.ACCEPT_NEW))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(many.size());
        try {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (SshTransport t : many) {
                results.add(pool.submit(() -> t.run(request(own, "true"))));
            }
            for (Future<CommandResult> r : results) {
                assertThat(r.get().succeeded()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(own.knownHostsLines());
    }

    @Test
    void hashedKnownHostsEntriesAreRead() throws Exception {
        Path file = dir.resolve("known_hosts");
        server.writeKnownHosts(file);
        Process hash = new ProcessBuilder("ssh-keygen", "-q", "-H", "-f", file.toString()).redirectErrorStream(true).start();
        assertThat(hash.waitFor()).isZero();
        assertThat(Files.readString(file)).startsWith("|1|").doesNotContain(server.address());
        assertThat(transport(settings(key, file, HostKeyPolicy.STRICT)).run(request(server, "true")).succeeded()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void theHostKeyTypeInKnownHostsIsNegotiatedFirst(String knownType) throws Exception {
        OpenSshServer own = OpenSshServer.start(dir.resolve("sshd"), "127.0.0.25", List.of("ed25519", "ecdsa", "rsa"),
                List.of());
        servers.add(own);
        own.authorize(Path.of(key + ".pub"));
        Path file = dir.resolve("known_hosts");
        Files.write(file, own.knownHostsLines().stream().filter(l -> l.contains(knownType.equals("rsa") ? "ssh-rsa"
                : knownType)).toList());
        assertThat(transport(settings(key, file, HostKeyPolicy.STRICT)).run(request(own, "true")).succeeded()).isTrue();
    }

    @Test
    void commandsShareOneSessionAlsoConcurrently() throws Exception {
        // sshd frees a channel slot a moment after the client saw the channel close: with the default
        // MaxSessions 10, a burst of 8 could briefly need an 11th slot and (correctly) open a second session.
        OpenSshServer own = OpenSshServer.start(dir.resolve("sshd"), "127.0.0.26", List.of("ed25519"),
                List.of("MaxSessions 64"));
        servers.add(own);
        own.authorize(Path.of(key + ".pub"));
        SshTransport ssh = transport(settings(key, knownHostsOf(own), HostKeyPolicy.STRICT));
        for (int i = 0; i < 10; i++) {
            assertThat(ssh.run(request(own, "echo " + i)).stdout()).isEqualTo(i + "\n");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CommandResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> ssh.run(request(own, "sleep 0.2; echo done"))));
            }
            for (Future<CommandResult> r : results) {
                assertThat(r.get().stdout()).isEqualTo("done\n");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ssh.sessionsOpened()).isEqualTo(1);
        assertThat(ssh.openSessions()).isEqualTo(1);
        assertThat(own.acceptedLogins()).isEqualTo(1);
    }

    @Test
    void anIdleSessionIsClosedAndANewOneOpenedWhenNeeded() throws Exception {
        SshSettings quick = new SshSettings(Optional.of(key), knownHosts, HostKeyPolicy.STRICT, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMillis(300));
        SshTransport ssh = transport(quick);
        ssh.run(request(server, "true"));
        assertThat(ssh.openSessions()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ssh.openSessions() == 0);
        assertThat(ssh.run(request(server, "echo again")).stdout()).isEqualTo("again\n");
        assertThat(ssh.sessionsOpened()).isEqualTo(2);
    }

    @Test
    void aSessionBrokenByAServerRestartIsReopened() throws Exception {
        OpenSshServer own = ownServer("127.0.0.27");
        SshTransport ssh = transport(settings(key, knownHostsOf(own), HostKeyPolicy.STRICT));
        assertThat(ssh.run(request(own, "echo before")).stdout()).isEqualTo("before\n");
        own.restart();
        assertThat(ssh.run(request(own, "echo after")).stdout()).isEqualTo("after\n");
        assertThat(ssh.sessionsOpened()).isEqualTo(2);
    }

    @Test
    void aSessionThatCannotOpenAChannelIsReplacedOnceAndNothingRunsTwice() throws Exception {
        OpenSshServer own = OpenSshServer.start(dir.resolve("sshd"), "127.0.0.30", List.of("ed25519"),
                List.of("MaxSessions 1"));
        servers.add(own);
        own.authorize(Path.of(key + ".pub"));
        SshTransport ssh = transport(settings(key, knownHostsOf(own), HostKeyPolicy.STRICT));
        String log = CommandTemplate.quote(dir.resolve("log").toString());
        String go = CommandTemplate.quote(dir.resolve("go").toString());
        CompletableFuture<CommandResult> first = CompletableFuture.supplyAsync(() -> {
            try {
                return ssh.run(request(own, "echo first >> " + log + "; while [ ! -e " + go + " ]; do sleep 0.05; done"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("log")));
        // The only allowed channel is busy: the pooled session cannot open another one.
        CommandResult second = ssh.run(request(own, "echo second >> " + log + "; echo second"));
        assertThat(second.stdout()).isEqualTo("second\n");
        Files.createFile(dir.resolve("go"));
        assertThat(first.get().succeeded()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly("first", "second");
        assertThat(ssh.sessionsOpened()).isEqualTo(2);
    }

    @Test
    void aTimedOutCommandIsClosedAndTheDestinationStaysUsable() throws Exception {
        SshTransport ssh = transport(settings(key, knownHosts, HostKeyPolicy.STRICT));
        // The command ends only when the test lets it: a result before that means the run gave up on it.
        Path release = dir.resolve("release");
        String line = "until [ -e " + CommandTemplate.quote(release.toString()) + " ]; do sleep 0.05; done";
        CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return ssh.run(new CommandRequest("h", null, server.destination(), line, null, Map.of(),
                        Duration.ofSeconds(1), null));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await("the run gives up on its command").atMost(Duration.ofSeconds(30)).until(running::isDone);
        } finally {
            Files.createFile(release);
        }
        CommandResult result = running.get();
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(ssh.run(request(server, "echo still")).stdout()).isEqualTo("still\n");
    }

    @Test
    void anInterruptedCallerClosesTheChannelAndGetsInterruptedException() throws Exception {
        SshTransport ssh = transport(settings(key, knownHosts, HostKeyPolicy.STRICT));
        ssh.run(request(server, "true"));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                ssh.run(request(server, "sleep 30"));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        caller.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
        caller.interrupt();
        assertThat(outcome.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(ssh.run(request(server, "echo next")).stdout()).isEqualTo("next\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 42, 255})
    void theExitStatusIsReported(int status) throws Exception {
        SshTransport ssh = pooled;
        CommandResult result = ssh.run(request(server, "echo out; echo err >&2; exit " + status));
        assertThat(result.exitCode()).isEqualTo(status);
        assertThat(result.succeeded()).isEqualTo(status == 0);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    void capturedOutputIsBounded() throws Exception {
        SshTransport ssh = transport(settings(key, knownHosts, HostKeyPolicy.STRICT));
        CommandResult many = ssh.run(request(server, "seq 1 200000"));
        assertThat(many.stdout()).startsWith("1\n2\n3\n");
        assertThat(many.stdout().length()).isLessThanOrEqualTo(CommandResult.CAPTURE_LIMIT + 1);
        CommandResult oneLine = ssh.run(request(server, "head -c 1000000 /dev/zero | tr '\\0' x"));
        assertThat(oneLine.stdout().length()).isLessThanOrEqualTo(CommandResult.CAPTURE_LIMIT + 1);
        assertThat(oneLine.stdout()).startsWith("xxxx");
    }

    @Test
    void linesAreStreamedInOrderWhileTheCommandRuns() throws Exception {
        SshTransport ssh = transport(settings(key, knownHosts, HostKeyPolicy.STRICT));
        Path go = dir.resolve("go");
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        String line = "seq 1 500; echo warn >&2; echo waiting; while [ ! -e " + CommandTemplate.quote(go.toString())
                + " ]; do sleep 0.05; done; echo last";
        CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return ssh.run(new CommandRequest("h", null, server.destination(), line, null, Map.of(),
                        Duration.ofSeconds(20), lines::add));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("waiting"));
        assertThat(running).isNotDone();
        Files.createFile(go);
        CommandResult result = running.get();
        assertThat(result.succeeded()).isTrue();
        List<String> stdout = new ArrayList<>(lines);
        stdout.remove("warn");
        List<String> expected = new ArrayList<>(IntStream.rangeClosed(1, 500).mapToObj(String::valueOf).toList());
        expected.addAll(List.of("waiting", "last"));
        assertThat(stdout).containsExactlyElementsOf(expected);
        assertThat(lines).contains("warn");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void stdinIsWrittenThenClosed() throws Exception {
        SshTransport ssh = transport(settings(key, knownHosts, HostKeyPolicy.STRICT));
        byte[] data = new byte[3_000_000];
        new java.util.Random(7).nextBytes(data);
        CommandResult counted = ssh.run(request(server, "wc -c").withStdin(out -> out.write(data)));
        assertThat(counted.stdout().trim()).isEqualTo(String.valueOf(data.length));
        assertThat(ssh.run(request(server, "cat; echo end")).stdout()).isEqualTo("end\n");
    }

    @Test
    void aTarStreamIsUnpackedOnTheRemoteSide() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout/modules"));
        Files.writeString(checkout.resolve("flake.nix"), "{ }\n");
        Path target = dir.resolve("remote dir/it's here");
        Process tar = new ProcessBuilder("tar", "-cf", "-", "-C", dir.resolve("checkout").toString(), ".").start();
        byte[] archive = tar.getInputStream().readAllBytes();
        assertThat(tar.waitFor()).isZero();
        String line = CommandTemplate.of("k", "mkdir -p {host} && tar -xf - -C {host}").render(Map.of("host",
                target.toString()));
        CommandResult result = transport(settings(key, knownHosts, HostKeyPolicy.STRICT))
                .run(request(server, line).withStdin(out -> out.write(archive)));
        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(target.resolve("modules/flake.nix")).hasContent("{ }");
    }

    static Stream<String> hostileValues() {
        return Stream.of("plain", "it's", "a b", "x;touch pwned", "$(reboot)", "`id`", "line\nbreak", "-rf",
                "--flake=/etc", "\"double\"", "back\\slash", "*", "", "'''", "  spaced  ", "$HOME", "a\tb");
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void aHostileValueArrivesAsOneLiteralArgument(String value) throws Exception {
        SshTransport ssh = pooled;
        Path argv = dir.resolve("argv.sh");
        Files.writeString(argv, "#!/bin/sh\necho \"argc=$#\"\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");
        argv.toFile().setExecutable(true);
        String line = CommandTemplate.of("k", CommandTemplate.quote(argv.toString()) + " {host} end")
                .render(Map.of("host", value));
        CommandResult result = ssh.run(request(server, line));
        assertThat(result.stdout()).isEqualTo("argc=2\n[" + value + "]\n[end]\n");
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void environmentValuesAndWorkingDirectoriesArriveLiterally(String value) throws Exception {
        SshTransport ssh = pooled;
        Path work = Files.createDirectories(dir.resolve("w"));
        CommandResult result = ssh.run(new CommandRequest("h", null, server.destination(),
                "printf '%s|' \"$FLEETWARD_VALUE\"; pwd", work, Map.of("FLEETWARD_VALUE", value),
                Duration.ofSeconds(10), null));
        assertThat(result.stdout()).isEqualTo(value + "|" + work + "\n");
    }

    @Test
    void aMissingWorkingDirectoryStopsTheCommand() throws Exception {
        Path marker = dir.resolve("ran");
        CommandResult result = transport(settings(key, knownHosts, HostKeyPolicy.STRICT)).run(new CommandRequest("h",
                null, server.destination(), "touch " + CommandTemplate.quote(marker.toString()), dir.resolve("nope"),
                Map.of(), Duration.ofSeconds(10), null));
        assertThat(result.exitCode()).isNotZero();
        assertThat(marker).doesNotExist();
    }

    @Test
    void anEnvironmentNameMustBeFleetwardStyle() {
        SshTransport ssh = transport(settings(key, knownHosts, HostKeyPolicy.STRICT));
        assertThatThrownBy(() -> ssh.run(new CommandRequest("h", null, server.destination(), "true", null,
                Map.of("bad;name", "v"), Duration.ofSeconds(5), null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noIdentityConfiguredIsAClearError() {
        SshTransport ssh = transport(new SshSettings(Optional.empty(), knownHosts, HostKeyPolicy.STRICT,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(5)));
        assertThatThrownBy(() -> ssh.run(request(server, "true")))
                .isInstanceOf(TransportException.class)
                .hasMessage("no SSH identity configured (fleetward.ssh.identity)");
    }

    @Test
    void identityProblemsNameTheFileNeverItsContent() throws Exception {
        Path missing = dir.resolve("missing_key");
        assertThatThrownBy(() -> transport(settings(missing, knownHosts, HostKeyPolicy.STRICT)).run(request(server, "true")))
                .isInstanceOf(TransportException.class).hasMessageContaining(missing.toString());

        Path garbage = dir.resolve("garbage_key");
        Files.writeString(garbage, "SECRET-MATERIAL-1234\n");
        assertThatThrownBy(() -> transport(settings(garbage, knownHosts, HostKeyPolicy.STRICT)).run(request(server, "true")))
                .isInstanceOf(TransportException.class).hasMessageContaining(garbage.toString())
                .message().doesNotContain("SECRET-MATERIAL");

        Path encrypted = dir.resolve("encrypted_key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass-phrase", "-f",
                encrypted.toString()).redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        assertThatThrownBy(() -> transport(settings(encrypted, knownHosts, HostKeyPolicy.STRICT)).run(request(server, "true")))
                .isInstanceOf(TransportException.class).hasMessageContaining(encrypted.toString())
                .hasMessageContaining("encrypted").message().doesNotContain("pass-phrase");
    }

    @Test
    void anUnauthorizedKeyFailsAuthentication() throws Exception {
        Path stranger = OpenSshServer.keygen("ed25519", dir.resolve("stranger"));
        assertThatThrownBy(() -> transport(settings(stranger, knownHosts, HostKeyPolicy.STRICT)).run(request(server, "true")))
                .isInstanceOf(TransportException.class).hasMessageContaining("authentication")
                .hasMessageContaining(stranger.toString());
        assertThat(connects).containsExactly("auth_failed");
    }

    @Test
    void anUnreachableHostIsReportedAsSuch() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.28"))) {
            closedPort = s.getLocalPort();
        }
        SshTransport ssh = transport(settings(key, knownHosts, HostKeyPolicy.STRICT));
        assertThatThrownBy(() -> ssh.run(new CommandRequest("h", null, "127.0.0.28:" + closedPort, "true", null,
                Map.of(), Duration.ofSeconds(5), null)))
                .isInstanceOf(TransportException.class).hasMessageContaining("cannot reach root@127.0.0.28:" + closedPort);
        assertThat(connects).containsExactly("unreachable");
    }

    @Test
    void aRequestsOwnIdentityAndKnownHostsOverrideTheGlobalOnes() throws Exception {
        OpenSshServer own = ownServer("127.0.0.29");
        Path ownKnownHosts = knownHostsOf(own);
        Path hostKey = OpenSshServer.keygen("ecdsa", dir.resolve("host_key"));
        own.authorize(Path.of(hostKey + ".pub"));
        Path unauthorized = OpenSshServer.keygen("ed25519", dir.resolve("global"));
        SshTransport ssh = transport(settings(unauthorized, dir.resolve("global_known_hosts"), HostKeyPolicy.STRICT));
        CommandResult result = ssh.run(request(own, "echo ok").withSsh(hostKey, ownKnownHosts));
        assertThat(result.stdout()).isEqualTo("ok\n");
    }

    private OpenSshServer ownServer(String address) throws IOException {
        OpenSshServer own = OpenSshServer.start(dir.resolve("sshd-" + address), address);
        servers.add(own);
        own.authorize(Path.of(key + ".pub"));
        return own;
    }

    private Path knownHostsOf(OpenSshServer own) throws IOException {
        Path file = dir.resolve("known_hosts-" + own.address());
        own.writeKnownHosts(file);
        return file;
    }

    private SshTransport transport(SshSettings settings) {
        SshTransport ssh = new SshTransport(settings, metrics, Wiring::sshAddress);
        transports.add(ssh);
        return ssh;
    }

    private static SshSettings settings(Path identity, Path knownHostsFile, HostKeyPolicy policy) {
        return new SshSettings(Optional.of(identity), knownHostsFile, policy, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(5));
    }

    private static CommandRequest request(OpenSshServer target, String line) {
        return new CommandRequest("h", null, target.destination(), line, null, Map.of(), Duration.ofSeconds(20),
                (Consumer<String>) null);
    }
}
