package io.nanoclaw.host.cli;

/** Who may run a command without asking (host.md 9): open to all callers, or gated by an approval for agents. */
public enum NclAccess {
    /** Any caller in scope. */
    OPEN,
    /** The operator at once; an agent caller gets {@code approval-pending} and an approval card is raised. */
    APPROVAL,
    /** The operator only (status, doctor, logs, backup): agents get {@code forbidden}. */
    OPERATOR
}
