package io.nanoclaw.runner.skills;

import io.nanoclaw.runner.log.Log;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The skills installed for this agent: every {@code <root>/<folder>/SKILL.md}, with the name and description from
 * its front matter. Scanned once at start (the system prompt's skill index must stay byte-stable for the prompt
 * cache); bodies are read when a skill is used, so an edited SKILL.md takes effect without a restart.
 */
public final class SkillCatalog {
    static final String FILE = "SKILL.md";
    /** A SKILL.md is a page of instructions; anything this big is not one. */
    static final long MAX_BYTES = 1024 * 1024;
    /** Names the Skill tool can take and the prompt can show on one line. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final Map<String, SkillInfo> byName;

    private SkillCatalog(Map<String, SkillInfo> byName) {
        this.byName = byName;
    }

    /**
     * Where skills live in a container, in priority order: the agent group's own, then the ones linked into
     * {@code ~/.claude/skills}, then those baked into the image.
     */
    public static List<Path> defaultRoots(Path agentDir, Path home) {
        List<Path> roots = new ArrayList<>();
        if (agentDir != null) {
            roots.add(agentDir.resolve("skills"));
        }
        if (home != null) {
            roots.add(home.resolve(".claude").resolve("skills"));
        }
        roots.add(Path.of("/app/skills"));
        return List.copyOf(roots);
    }

    public static SkillCatalog empty() {
        return new SkillCatalog(Map.of());
    }

    /** Missing roots are fine; on a duplicate name the first root wins (then the first folder by name). */
    public static SkillCatalog scan(List<Path> roots) {
        Map<String, SkillInfo> found = new LinkedHashMap<>();
        for (Path root : roots) {
            for (Path dir : folders(root)) {
                SkillInfo skill = read(dir);
                if (skill == null) {
                    continue;
                }
                SkillInfo first = found.putIfAbsent(skill.name(), skill);
                if (first != null) {
                    Log.info("skills", "skill " + skill.name() + " in " + dir + " is shadowed by " + first.dir());
                }
            }
        }
        List<SkillInfo> sorted = new ArrayList<>(found.values());
        sorted.sort(Comparator.comparing(SkillInfo::name));
        Map<String, SkillInfo> byName = new LinkedHashMap<>();
        sorted.forEach(s -> byName.put(s.name(), s));
        return new SkillCatalog(byName);
    }

    /** Sorted by name. */
    public List<SkillInfo> skills() {
        return List.copyOf(byName.values());
    }

    public Optional<SkillInfo> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The SKILL.md without its front matter; empty when the skill is unknown or its file can no longer be read. */
    public Optional<String> body(String name) {
        SkillInfo skill = byName.get(name);
        if (skill == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(FrontMatter.parse(readText(skill.dir().resolve(FILE))).body());
        } catch (IOException | FrontMatter.Garbled e) {
            Log.warn("skills", "cannot read skill " + name + ": " + message(e));
            return Optional.empty();
        }
    }

    private static List<Path> folders(Path root) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        // Files.isDirectory follows symlinks: ~/.claude/skills/<n> are links to /app/skills/<n>
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            entries.forEach(out::add);
        } catch (IOException e) {
            Log.warn("skills", "cannot list " + root + ": " + message(e));
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** The skill in one folder, or null (no SKILL.md, or one we cannot read: logged, never fatal). */
    private static SkillInfo read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String folderName = dir.getFileName().toString();
        FrontMatter fm;
        try {
            fm = FrontMatter.parse(readText(file));
        } catch (IOException | FrontMatter.Garbled e) {
            Log.warn("skills", "skipping " + file + ": " + message(e));
            return null;
        }
        String name = fm.fields().getOrDefault("name", "").strip();
        if (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            name = folderName;
        } else if (!NAME.matcher(name).matches()) {
            Log.warn("skills", file + ": name '" + name + "' is not a usable skill name, using the folder name");
            name = folderName;
        }
        if (!NAME.matcher(name).matches()) {
            Log.warn("skills", "skipping " + file + ": the folder name is not a usable skill name");
            return null;
        }
        String description = fm.fields().getOrDefault("description", "").strip();
        return new SkillInfo(name, description, dir.toAbsolutePath().normalize());
    }

    /** Strict UTF-8, so a binary or mis-encoded file is reported instead of read as mojibake. */
    private static String readText(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException("it is " + size + " bytes, more than " + MAX_BYTES);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            throw new IOException("it is not a text file");
        }
        return text;
    }

    private static String message(Exception e) {
        if (e instanceof CharacterCodingException) {
            return "it is not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
