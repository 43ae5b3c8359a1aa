package io.nanoclaw.host.agents;

import io.nanoclaw.host.db.Db;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** container_configs.cli_scope: what an agent may do to the install on its own (decisions.md: `global` = trusted). */
@Singleton
public class CliScopes {
    @Inject
    Db db;

    /** True only for an explicit `global`: a group without a config row is not trusted. */
    public boolean isGlobal(String agentGroupId) {
        return db.one("SELECT cli_scope FROM container_configs WHERE agent_group_id = ?", rs -> rs.getString(1),
                agentGroupId).map("global"::equals).orElse(false);
    }
}
