package io.nanoclaw.host.entities;

/** An agent: its workspace folder under groups/, memory and container config. */
public record AgentGroup(String id, String name, String folder, String createdAt) {}
