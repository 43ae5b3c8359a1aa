package io.nanoclaw.host.cli;

/**
 * Who sent a command: the operator on the socket, or an agent through {@code cli_request}, with its agent group,
 * session and {@code cli_scope} ("disabled", "group" or "global").
 */
public record NclCaller(boolean operator, String agentGroupId, String sessionId, String scope) {
    public static final NclCaller OPERATOR = new NclCaller(true, null, null, "global");

    public static NclCaller agent(String agentGroupId, String sessionId, String scope) {
        return new NclCaller(false, agentGroupId, sessionId, scope);
    }

    /** An agent limited to its own group (the default scope). */
    public boolean groupScoped() {
        return !operator && "group".equals(scope);
    }
}
