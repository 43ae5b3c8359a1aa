package io.nanoclaw.host.agents;

import io.nanoclaw.host.config.HostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent-to-agent caps (decisions.md): at most A2A_MAX_PER_MINUTE messages from one group to another in any
 * 60 s, and at most A2A_MAX_CHAIN hops between the same two groups (either way) with no human message in between,
 * so two agents answering each other can't run on unseen. Kept in memory: a restart resets them, which only ever
 * allows more, never loses a message.
 */
@Singleton
public class A2aLimits {
    private static final long WINDOW_MS = 60_000;

    private final int maxPerMinute;
    private final int maxChain;
    private final Clock clock;

    /** One unordered pair of groups. */
    private static final class Chain {
        int hops;
        boolean userTold;
        /** The newest human message seen in each session that sent on this chain. */
        final Map<String, String> humanMarks = new HashMap<>();
    }

    private final Map<String, Deque<Long>> recent = new HashMap<>();
    private final Map<String, Chain> chains = new HashMap<>();

    @Inject
    public A2aLimits(HostConfig config) {
        this(config.a2aMaxPerMinute(), config.a2aMaxChain(), Clock.systemUTC());
    }

    A2aLimits(int maxPerMinute, int maxChain, Clock clock) {
        this.maxPerMinute = maxPerMinute;
        this.maxChain = maxChain;
        this.clock = clock;
    }

    /**
     * Counts one message from source to target, unless a cap is reached.
     *
     * @param humanMark the newest human message in the sending session (see A2aLookups.latestHumanMessage)
     * @return null when admitted (and counted), else why not, for the agent and the user
     */
    public synchronized String admit(String source, String target, String sourceSession, String humanMark) {
        Chain chain = chains.computeIfAbsent(pair(source, target), k -> new Chain());
        String before = chain.humanMarks.put(sourceSession, humanMark);
        if (before != null && !before.equals(humanMark)) {
            chain.hops = 0; // a person spoke in this session since its last hop: a new conversation
            chain.userTold = false;
        }
        long now = clock.millis();
        Deque<Long> times = recent.computeIfAbsent(source + ">" + target, k -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MS) {
            times.pollFirst();
        }
        if (chain.hops >= maxChain) {
            return maxChain + " messages back and forth without a message from a person (A2A_MAX_CHAIN)";
        }
        if (times.size() >= maxPerMinute) {
            return maxPerMinute + " messages a minute (A2A_MAX_PER_MINUTE)";
        }
        chain.hops++;
        times.addLast(now);
        return null;
    }

    /** True the first time after a cap is reached on this pair, until a person speaks again: tell the user once. */
    public synchronized boolean firstRefusal(String source, String target) {
        Chain chain = chains.computeIfAbsent(pair(source, target), k -> new Chain());
        boolean first = !chain.userTold;
        chain.userTold = true;
        return first;
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }
}
