package io.nanoclaw.runner.skills;

import java.nio.file.Path;

/**
 * One installed skill: its name (the Skill tool's argument), the one-line description the system prompt lists,
 * and the folder holding its SKILL.md (relative references in the skill resolve there).
 */
public record SkillInfo(String name, String description, Path dir) {}
