package io.nanoclaw.runner.prompt;

/** One line of the skill index in the system prompt: what the Skill tool can load. */
public record SkillIndexEntry(String name, String description) {}
