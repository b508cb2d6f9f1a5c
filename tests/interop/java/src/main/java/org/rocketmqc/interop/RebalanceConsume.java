/*
 * RebalanceConsume: clustering rebalance of two push consumers in one group, with the
 * official Java remoting client, while a producer keeps sending.
 *
 *   java ... org.rocketmqc.interop.RebalanceConsume NAMESRV_ADDR TOPIC NOTIFY_LIMIT_SEC [TIMEOUT_SEC]
 *
 * The topic is created with 8 queues (UPDATE_AND_CREATE_TOPIC through the producer's
 * admin call). A producer thread sends numbered messages synchronously for the whole
 * run. Phases, each a bounded poll:
 *
 *   1. consumer A (client id "...@rebalance-a") runs alone: it must hold all 8 queues
 *      and consume messages;
 *   2. consumer B joins the group: the broker must send NOTIFY_CONSUMER_IDS_CHANGED to A,
 *      and within NOTIFY_LIMIT_SEC (below the client's 20 s periodic rebalance, so only
 *      the notification can do it) A holds 4 queues, B the other 4, and both consume
 *      messages from their own queues;
 *   3. A shuts down (offsets persisted, UNREGISTER_CLIENT): B must be notified and take
 *      all 8 queues within NOTIFY_LIMIT_SEC, and consume from every one of them.
 *
 * Each membership change must reach the member exactly once, as from the Apache broker:
 * the consumers' own heartbeats after a rebalance (newer subVersion, same topics) are no
 * change to notify.
 *
 * Then the producer stops and every message whose send returned SEND_OK must have been
 * consumed at least once. Duplicates are legal around a rebalance (at-least-once) and
 * are counted. Notifications are counted per client by wrapping the client's own
 * NOTIFY_CONSUMER_IDS_CHANGED processor.
 *
 * Prints progress lines and one summary line starting with "RebalanceConsume:"; exits 0
 * on success, 1 on failure or when TIMEOUT_SEC (default 120) elapses, 2 on bad arguments.
 */
package org.rocketmqc.interop;

import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.impl.ClientRemotingProcessor;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.remoting.netty.NettyRequestProcessor;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;

public final class RebalanceConsume {
    private static final String BODY_PREFIX = "rocketmq-c rebalance message #";
    private static final int QUEUES = 8;
    private static final int MAX_MESSAGES = 200000;

    private static String topic;
    private static String run;
    private static final Map<Integer, AtomicInteger> consumedTimes = new ConcurrentHashMap<>();
    private static final AtomicIntegerArray acked = new AtomicIntegerArray(MAX_MESSAGES);
    private static final AtomicInteger sent = new AtomicInteger();
    private static final AtomicInteger sendFailures = new AtomicInteger();
    private static final AtomicBoolean producing = new AtomicBoolean(true);

    /* One push consumer and what it saw. */
    private static final class Member {
        final String name;
        final DefaultMQPushConsumer consumer;
        final AtomicInteger consumed = new AtomicInteger();
        final AtomicInteger notified = new AtomicInteger();
        final AtomicIntegerArray perQueue = new AtomicIntegerArray(QUEUES);

        Member(String name, String namesrv, String group) throws Exception {
            this.name = name;
            consumer = Harness.pushConsumer(namesrv, group, "rebalance-" + name + "-" + run, topic);
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                    int i = indexOf(m);
                    if (i < 0) {
                        continue;
                    }
                    consumedTimes.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
                    consumed.incrementAndGet();
                    if (m.getQueueId() >= 0 && m.getQueueId() < QUEUES) {
                        perQueue.incrementAndGet(m.getQueueId());
                    }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
        }

        void start() throws Exception {
            consumer.start();
            /* Count the broker's NOTIFY_CONSUMER_IDS_CHANGED, then let the client handle it. */
            MQClientInstance factory = consumer.getDefaultMQPushConsumerImpl().getmQClientFactory();
            final ClientRemotingProcessor inner = new ClientRemotingProcessor(factory);
            factory.getMQClientAPIImpl().getRemotingClient().registerProcessor(
                RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, new NettyRequestProcessor() {
                    @Override
                    public RemotingCommand processRequest(ChannelHandlerContext c, RemotingCommand req)
                        throws Exception {
                        notified.incrementAndGet();
                        return inner.processRequest(c, req);
                    }

                    @Override
                    public boolean rejectRequest() {
                        return false;
                    }
                }, null);
        }

        /*
         * A heartbeat now. After a rebalance that moved its queues the Java client raises
         * its subscription's subVersion, puts it into its pulls and heartbeats once to
         * announce it; but that heartbeat is skipped when the client's periodic one holds
         * the heartbeat lock (which happens when the rebalance falls on the periodic
         * heartbeat's first run, 1 s after start). Any broker then answers the pulls
         * SUBSCRIPTION_NOT_LATEST until the next periodic heartbeat, 30 s later: a client
         * race, not what this test is about.
         */
        void heartbeat() throws InterruptedException {
            MQClientInstance factory = consumer.getDefaultMQPushConsumerImpl().getmQClientFactory();
            for (int i = 0; i < 100; i++) {
                if (factory.sendHeartbeatToAllBrokerWithLock()) {
                    return;
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException(name + ": no heartbeat sent in 100 tries");
        }

        /* Queues of the topic this member currently holds (not the retry topic's). */
        Set<Integer> queues() {
            Set<Integer> q = new TreeSet<>();
            for (MessageQueue mq : consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl()
                .getProcessQueueTable().keySet()) {
                if (mq.getTopic().equals(topic)) {
                    q.add(mq.getQueueId());
                }
            }
            return q;
        }

        String state() {
            return name + ": queues=" + queues() + " consumed=" + consumed.get() + " notified="
                + notified.get();
        }
    }

    private RebalanceConsume() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            Harness.dieOf("RebalanceConsume", t);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: RebalanceConsume NAMESRV_ADDR TOPIC NOTIFY_LIMIT_SEC [TIMEOUT_SEC]");
            System.exit(2);
        }
        final String namesrv = args[0];
        topic = args[1];
        final long notifyLimitMs = Long.parseLong(args[2]) * 1000L;
        final int timeoutSec = args.length > 3 ? Integer.parseInt(args[3]) : 120;
        run = Long.toString(System.currentTimeMillis(), 36);
        final String group = "rmqc_rebalance_" + run;
        Harness.startWatchdogLine(timeoutSec, () -> "RebalanceConsume: result=FAIL(timeout) sent=" + sent.get());

        DefaultMQProducer producer = Harness.startProducer(namesrv, "rmqc_rebalance_producer_" + run,
            "rebalance-producer-" + run);
        producer.createTopic(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC, topic, QUEUES, null);
        waitFor("route with " + QUEUES + " queues", 30000, () -> {
            try {
                return producer.fetchPublishMessageQueues(topic).size() == QUEUES;
            } catch (Exception e) {
                return false;
            }
        });
        Thread sender = new Thread(() -> produce(producer), "rmqc-sender");
        sender.start();

        /* 1. A alone. */
        Member a = new Member("A", namesrv, group);
        a.start();
        waitFor("A holds all queues and consumes", 30000,
            () -> a.queues().size() == QUEUES && a.consumed.get() >= 100);
        progress("A alone", a, null);

        /* 2. B joins: both rebalance, A only through the broker's notification. */
        int aNotified = a.notified.get();
        Member b = new Member("B", namesrv, group);
        long t0 = System.currentTimeMillis();
        b.start();
        waitFor("A and B hold 4 queues each", notifyLimitMs, () -> {
            Set<Integer> qa = a.queues(), qb = b.queues();
            if (qa.size() != QUEUES / 2 || qb.size() != QUEUES / 2) {
                return false;
            }
            qa.addAll(qb);
            return qa.size() == QUEUES;
        });
        long joinMs = System.currentTimeMillis() - t0;
        a.heartbeat();
        b.heartbeat();
        int[] aAt = snapshot(a), bAt = snapshot(b);
        final Set<Integer> heldA = a.queues(), heldB = b.queues();
        waitFor("A and B both consume their queues", 30000,
            () -> grew(a, aAt, heldA) && grew(b, bAt, heldB));
        progress("B joined (" + joinMs + " ms)", a, b);
        int joinNotifies = a.notified.get() - aNotified;
        if (joinNotifies != 1) {
            fail("A got " + joinNotifies + " NOTIFY_CONSUMER_IDS_CHANGED for B joining, want 1", a, b);
        }

        /* 3. A leaves: B takes every queue. */
        int bNotified = b.notified.get();
        t0 = System.currentTimeMillis();
        /* In a thread: the client's shutdown can idle 3 s after its UNREGISTER_CLIENT. */
        Thread leaving = new Thread(a.consumer::shutdown, "rmqc-A-shutdown");
        leaving.start();
        waitFor("B holds all queues", notifyLimitMs, () -> b.queues().size() == QUEUES);
        long leaveMs = System.currentTimeMillis() - t0;
        leaving.join(30000);
        b.heartbeat();
        int[] bAll = snapshot(b);
        final Set<Integer> all = b.queues();
        waitFor("B consumes every queue", 30000, () -> grew(b, bAll, all));
        progress("A left (" + leaveMs + " ms)", a, b);
        int leaveNotifies = b.notified.get() - bNotified;
        if (leaveNotifies != 1) {
            fail("B got " + leaveNotifies + " NOTIFY_CONSUMER_IDS_CHANGED for A leaving, want 1", a, b);
        }

        /* Stop producing; every acknowledged message must arrive. */
        producing.set(false);
        sender.join(30000);
        final int total = sent.get();
        waitFor("every acknowledged message consumed", 60000, () -> missing(total) == 0);
        /* No shutdown of B and the producer (the client's can idle for 3 s); halt() ends them. */

        int acks = 0, dups = 0;
        for (int i = 0; i < total; i++) {
            acks += acked.get(i);
        }
        for (AtomicInteger n : consumedTimes.values()) {
            dups += n.get() - 1;
        }
        boolean ok = sendFailures.get() == 0 && acks == total;
        System.out.printf("RebalanceConsume: result=%s sent=%d acked=%d send_failures=%d consumed_distinct=%d "
            + "duplicates=%d consumed_by_A=%d consumed_by_B=%d join_rebalance_ms=%d leave_rebalance_ms=%d "
            + "notifies_A=%d notifies_B=%d%n", ok ? "PASS" : "FAIL", total, acks, sendFailures.get(),
            consumedTimes.size(), dups, a.consumed.get(), b.consumed.get(), joinMs, leaveMs,
            a.notified.get(), b.notified.get());
        System.out.flush();
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }

    /* The sender: numbered messages, synchronously, with a short pause (~300/s at most). */
    private static void produce(DefaultMQProducer producer) {
        while (producing.get() && sent.get() < MAX_MESSAGES) {
            int i = sent.get();
            Message msg = new Message(topic, "TagR", (BODY_PREFIX + i + " run " + run).getBytes(StandardCharsets.UTF_8));
            try {
                SendResult r = producer.send(msg);
                if (r.getSendStatus() == SendStatus.SEND_OK) {
                    acked.set(i, 1);
                } else {
                    sendFailures.incrementAndGet();
                    System.err.println("send " + i + ": " + r.getSendStatus());
                }
            } catch (Exception e) {
                sendFailures.incrementAndGet();
                System.err.println("send " + i + ": " + e);
            }
            sent.incrementAndGet();
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int missing(int total) {
        int n = 0;
        for (int i = 0; i < total; i++) {
            if (acked.get(i) == 1 && !consumedTimes.containsKey(i)) {
                n++;
            }
        }
        return n;
    }

    private static int[] snapshot(Member m) {
        int[] s = new int[QUEUES];
        for (int q = 0; q < QUEUES; q++) {
            s[q] = m.perQueue.get(q);
        }
        return s;
    }

    /* Every queue in qs gave the member more messages than at the snapshot. */
    private static boolean grew(Member m, int[] at, Set<Integer> qs) {
        for (int q : qs) {
            if (m.perQueue.get(q) <= at[q]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(MessageExt m) {
        String body = new String(m.getBody(), StandardCharsets.UTF_8);
        String tail = " run " + run;
        if (!body.startsWith(BODY_PREFIX) || !body.endsWith(tail)) {
            return -1;
        }
        try {
            return Integer.parseInt(body.substring(BODY_PREFIX.length(), body.length() - tail.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void progress(String phase, Member a, Member b) {
        System.out.println("RebalanceConsume: " + phase + ": sent=" + sent.get() + " " + a.state()
            + (b != null ? " " + b.state() : ""));
        System.out.flush();
    }

    private static void waitFor(String what, long limitMs, BooleanSupplier cond) throws InterruptedException {
        Harness.waitFor("RebalanceConsume", what, limitMs, cond,
            () -> " sent=" + sent.get() + " missing=" + missing(sent.get()));
    }

    private static void fail(String why, Member a, Member b) {
        Harness.die("RebalanceConsume: result=FAIL(" + why + ") " + a.state() + " " + b.state());
    }
}
