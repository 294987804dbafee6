package org.originhub.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for files the hub keeps secrets or data in: they are owner-only from the moment they exist. A folder
 * is created {@code rwx------} (and an existing one with wider permissions is tightened, with a log line); a secret
 * file is written to a temporary sibling created {@code rw-------} and moved into place atomically, never created
 * first and restricted afterwards, so there is no window in which another account can open it. On a file system
 * without POSIX permissions (Windows) the files are written as the platform does, with a warning.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);

    /** Owner may read, write and enter; nobody else anything. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Owner may read and write; nobody else anything. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /**
     * Makes sure {@code dir} exists and is owner-only: missing folders on the way are created {@code rwx------}; an
     * existing {@code dir} open to group or others is tightened (existing parents are left as they are).
     */
    public static Path directory(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            if (!isPosix(absolute)) {
                Files.createDirectories(absolute);
                log.warn("{}: the file system has no POSIX permissions; it cannot be made owner-only, protect it by other means", absolute);
                return absolute;
            }
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute, attribute(DIRECTORY));
            }
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(absolute);
            if (!DIRECTORY.containsAll(now) || !now.containsAll(DIRECTORY)) {
                Files.setPosixFilePermissions(absolute, DIRECTORY);
                log.warn("{} was {}: made owner-only (rwx------)", absolute, PosixFilePermissions.toString(now));
            }
            return absolute;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the owner-only folder " + absolute + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code content} to {@code file}, owner-only from its creation: into a temporary sibling created
     * {@code rw-------}, then moved over {@code file} (atomically where the file system can), so that a crash never
     * leaves a half-written file either. A missing parent folder is created owner-only.
     */
    public static void writeSecret(Path file, byte[] content) {
        Path target = file.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path tmp = null;
        try {
            boolean posix = isPosix(parent);
            if (!Files.isDirectory(parent)) {
                if (posix) {
                    Files.createDirectories(parent, attribute(DIRECTORY));
                } else {
                    Files.createDirectories(parent);
                }
            }
            if (posix) {
                tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp", attribute(FILE));
            } else {
                log.warn("{}: the file system has no POSIX permissions; the file cannot be made owner-only", target);
                tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
            }
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    /** Whether the file system holding {@code path} (or its nearest existing ancestor) has POSIX permissions. */
    public static boolean isPosix(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? path.getFileSystem().supportedFileAttributeViews().contains("posix")
                    : Files.getFileStore(existing).supportsFileAttributeView("posix");
        } catch (FileSystemException e) {
            return path.getFileSystem().supportedFileAttributeViews().contains("posix");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
