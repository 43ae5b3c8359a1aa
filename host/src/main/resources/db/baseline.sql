-- Central DB baseline: every table of host.md section 2 in its final shape, plus what our own design adds
-- (install metadata, delivery attempts that survive restarts, token usage, channel state store).

CREATE TABLE agent_groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  folder TEXT NOT NULL UNIQUE,
  agent_provider TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE messaging_groups (
  id TEXT PRIMARY KEY,
  channel_type TEXT NOT NULL,
  platform_id TEXT NOT NULL,
  name TEXT,
  is_group INTEGER NOT NULL DEFAULT 0,
  unknown_sender_policy TEXT NOT NULL DEFAULT 'strict'
    CHECK (unknown_sender_policy IN ('strict', 'request_approval', 'public')),
  created_at TEXT NOT NULL,
  denied_at TEXT,
  UNIQUE (channel_type, platform_id)
);

CREATE TABLE messaging_group_agents (
  id TEXT PRIMARY KEY,
  messaging_group_id TEXT NOT NULL REFERENCES messaging_groups(id) ON DELETE CASCADE,
  agent_group_id TEXT NOT NULL REFERENCES agent_groups(id) ON DELETE CASCADE,
  engage_mode TEXT NOT NULL DEFAULT 'mention' CHECK (engage_mode IN ('pattern', 'mention', 'mention-sticky')),
  engage_pattern TEXT,
  sender_scope TEXT NOT NULL DEFAULT 'all' CHECK (sender_scope IN ('all', 'known')),
  ignored_message_policy TEXT NOT NULL DEFAULT 'drop' CHECK (ignored_message_policy IN ('drop', 'accumulate')),
  session_mode TEXT NOT NULL DEFAULT 'shared' CHECK (session_mode IN ('shared', 'per-thread', 'agent-shared')),
  priority INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (messaging_group_id, agent_group_id)
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  display_name TEXT,
  created_at TEXT NOT NULL
);

-- agent_group_id '' (not NULL) means global, so the primary key really is unique (the original's NULL allowed twins).
CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin')),
  agent_group_id TEXT NOT NULL DEFAULT '',
  granted_by TEXT,
  granted_at TEXT NOT NULL,
  PRIMARY KEY (user_id, role, agent_group_id),
  CHECK (role <> 'owner' OR agent_group_id = '')
);

CREATE TABLE agent_group_members (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  agent_group_id TEXT NOT NULL REFERENCES agent_groups(id) ON DELETE CASCADE,
  added_by TEXT,
  added_at TEXT NOT NULL,
  PRIMARY KEY (user_id, agent_group_id)
);

CREATE TABLE user_dms (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  channel_type TEXT NOT NULL,
  messaging_group_id TEXT NOT NULL REFERENCES messaging_groups(id) ON DELETE CASCADE,
  resolved_at TEXT NOT NULL,
  PRIMARY KEY (user_id, channel_type)
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  agent_group_id TEXT NOT NULL REFERENCES agent_groups(id) ON DELETE CASCADE,
  messaging_group_id TEXT REFERENCES messaging_groups(id) ON DELETE SET NULL,
  thread_id TEXT,
  agent_provider TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  container_status TEXT NOT NULL DEFAULT 'stopped' CHECK (container_status IN ('running', 'idle', 'stopped')),
  last_active TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX sessions_lookup ON sessions (agent_group_id, messaging_group_id, thread_id, status);

CREATE TABLE pending_questions (
  question_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  message_out_id TEXT NOT NULL,
  platform_id TEXT,
  channel_type TEXT,
  thread_id TEXT,
  title TEXT,
  options_json TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE pending_approvals (
  approval_id TEXT PRIMARY KEY,
  session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE,
  request_id TEXT,
  action TEXT NOT NULL,
  payload TEXT,
  created_at TEXT NOT NULL,
  agent_group_id TEXT REFERENCES agent_groups(id) ON DELETE CASCADE,
  channel_type TEXT,
  platform_id TEXT,
  platform_message_id TEXT,
  approver_user_id TEXT,
  expires_at TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  title TEXT,
  options_json TEXT
);

CREATE TABLE pending_sender_approvals (
  id TEXT PRIMARY KEY,
  messaging_group_id TEXT NOT NULL REFERENCES messaging_groups(id) ON DELETE CASCADE,
  agent_group_id TEXT NOT NULL REFERENCES agent_groups(id) ON DELETE CASCADE,
  sender_identity TEXT NOT NULL,
  sender_name TEXT,
  original_message TEXT NOT NULL,
  approver_user_id TEXT,
  created_at TEXT NOT NULL,
  title TEXT,
  options_json TEXT,
  UNIQUE (messaging_group_id, sender_identity)
);

CREATE TABLE pending_channel_approvals (
  messaging_group_id TEXT PRIMARY KEY REFERENCES messaging_groups(id) ON DELETE CASCADE,
  agent_group_id TEXT REFERENCES agent_groups(id) ON DELETE CASCADE,
  original_message TEXT NOT NULL,
  approver_user_id TEXT,
  created_at TEXT NOT NULL,
  title TEXT,
  options_json TEXT
);

CREATE TABLE agent_destinations (
  agent_group_id TEXT NOT NULL REFERENCES agent_groups(id) ON DELETE CASCADE,
  local_name TEXT NOT NULL,
  target_type TEXT NOT NULL CHECK (target_type IN ('channel', 'agent')),
  target_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (agent_group_id, local_name)
);

CREATE TABLE unregistered_senders (
  channel_type TEXT NOT NULL,
  platform_id TEXT NOT NULL,
  user_id TEXT,
  sender_name TEXT,
  reason TEXT NOT NULL,
  messaging_group_id TEXT,
  agent_group_id TEXT,
  message_count INTEGER NOT NULL DEFAULT 1,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (channel_type, platform_id)
);

CREATE TABLE container_configs (
  agent_group_id TEXT PRIMARY KEY REFERENCES agent_groups(id) ON DELETE CASCADE,
  provider TEXT,
  model TEXT,
  effort TEXT,
  image_tag TEXT,
  assistant_name TEXT,
  max_messages_per_prompt INTEGER,
  skills TEXT NOT NULL DEFAULT '"all"',
  mcp_servers TEXT NOT NULL DEFAULT '{}',
  packages_apt TEXT NOT NULL DEFAULT '[]',
  packages_npm TEXT NOT NULL DEFAULT '[]',
  additional_mounts TEXT NOT NULL DEFAULT '[]',
  cli_scope TEXT NOT NULL DEFAULT 'group' CHECK (cli_scope IN ('disabled', 'group', 'global')),
  memory_mb INTEGER,
  cpus REAL,
  pids_limit INTEGER,
  updated_at TEXT NOT NULL
);

-- The channel adapters' state store (the original's Chat SDK tables): key/value with expiry, sticky-thread
-- subscriptions, short locks and small lists.
CREATE TABLE channel_kv (
  key TEXT PRIMARY KEY,
  value TEXT,
  expires_at TEXT
);
CREATE TABLE channel_subscriptions (
  channel_type TEXT NOT NULL,
  platform_id TEXT NOT NULL,
  thread_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (channel_type, platform_id, thread_id)
);
CREATE TABLE channel_locks (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE channel_lists (
  key TEXT NOT NULL,
  idx INTEGER NOT NULL,
  value TEXT,
  PRIMARY KEY (key, idx)
);

-- Delivery attempts per outbound row, kept here so that a host restart neither resets nor repeats them.
CREATE TABLE delivery_attempts (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  message_out_id TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_attempt_at TEXT,
  PRIMARY KEY (session_id, message_out_id)
);

-- Model API usage seen by the credential proxy, per agent group and session.
CREATE TABLE token_usage (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agent_group_id TEXT,
  session_id TEXT,
  model TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX token_usage_group_day ON token_usage (agent_group_id, created_at);

CREATE TABLE install_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
