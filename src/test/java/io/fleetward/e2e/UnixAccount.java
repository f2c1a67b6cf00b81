package io.fleetward.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * A unix account of the simulated fleet, created on first use and reused afterwards (accounts stay
 * when the fleet closes; they own nothing outside the fleet's folders but their /home directory).
 */
final class UnixAccount {
    private static final UserPrincipalLookupService LOOKUP = FileSystems.getDefault().getUserPrincipalLookupService();

    private UnixAccount() {
    }

    /**
     * Creates account {@code name} with a home in /home, shell {@code shell} and password {@code *}
     * (no password login, but not locked: sshd without PAM refuses key logins of a locked "!" account),
     * unless it exists.
     */
    static synchronized void ensure(String name, String shell) {
        if (exists(name)) {
            return;
        }
        ExternalCommand.require("/usr/sbin/useradd", "--create-home", "--user-group", "--shell", shell, "--password", "*", name);
    }

    /** Makes account {@code name} the owner of {@code path} (the group stays: modes never grant it more). */
    static void own(Path path, String name) {
        try {
            Files.setOwner(path, LOOKUP.lookupPrincipalByName(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean exists(String name) {
        try {
            LOOKUP.lookupPrincipalByName(name);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
