package io.nanoclaw.runner.tools.builtin;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Regular files under a folder, for Glob and Grep. Skips .git; does not follow symlinks (a link could lead out of
 * the workspace or into a loop); unreadable folders are skipped, not fatal.
 */
final class FileWalk {
    record Entry(Path path, String relative, long mtimeMillis, long size) {}

    private FileWalk() {}

    static List<Entry> files(Path base) throws IOException {
        List<Entry> out = new ArrayList<>();
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(base) && dir.getFileName().toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    String rel = base.relativize(file).toString().replace('\\', '/');
                    out.add(new Entry(file, rel, attrs.lastModifiedTime().toMillis(), attrs.size()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** Newest first; ties by path so the order is stable. */
    static void sortByMtime(List<Entry> entries) {
        entries.sort((a, b) -> a.mtimeMillis() != b.mtimeMillis()
                ? Long.compare(b.mtimeMillis(), a.mtimeMillis())
                : a.relative().compareTo(b.relative()));
    }
}
