package io.patchbay.devstack.campaign.schedule;

/** The faults a campaign draws from. */
public enum FaultKind {
    /** SIGKILL of one of the two processors; restarted after a while. */
    PROCESSOR_KILL,
    /** SIGKILL of one of the two adapters while clients have requests in flight; restarted after a while. */
    ADAPTER_KILL,
    /** The broker stops (SIGTERM, a controlled shutdown, or SIGKILL), stays down a while, and starts again. */
    BROKER_RESTART,
    /** PostgreSQL stops ({@code pg_ctl stop -m fast}), stays down a while, and starts again. */
    POSTGRES_RESTART,
    /** A third processor joins the group and leaves it (SIGTERM), or one of the two leaves and comes back. */
    PROCESSOR_JOIN_LEAVE,
    /** SIGSTOP of a processor for longer than the consumer session timeout, then SIGCONT. */
    PROCESSOR_PAUSE,
    /** The retention purge runs now, with the campaign's short retention. */
    RETENTION_PURGE,
    /** Latency, retransmission-like stalls and connection resets between the apps and the broker, for a while. */
    NETWORK
}
