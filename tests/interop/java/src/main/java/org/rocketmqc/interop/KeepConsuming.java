/*
 * KeepConsuming: a producer and a push consumer that stay connected for a while, so the
 * admin tools have live clients to report on (consumerConnection, producerConnection,
 * consumerProgress, resetOffsetByTime).
 *
 *   java ... org.rocketmqc.interop.KeepConsuming NAMESRV_ADDR TOPIC PRODUCER_GROUP
 *            CONSUMER_GROUP COUNT SECONDS
 *
 * The producer sends COUNT messages synchronously and stays started; the consumer (from
 * the first offset) counts what it receives. "KeepConsuming: ready consumed=N" is printed
 * once all COUNT were consumed, "KeepConsuming: consumed=N" every second after that (the
 * count grows again after an offset reset), and the JVM exits after SECONDS.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;

public final class KeepConsuming {
    private KeepConsuming() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: KeepConsuming NAMESRV TOPIC PGROUP CGROUP COUNT SECONDS");
            System.exit(2);
        }
        String ns = args[0], topic = args[1];
        int count = Integer.parseInt(args[4]);
        long until = System.currentTimeMillis() + Long.parseLong(args[5]) * 1000L;

        DefaultMQProducer producer = new DefaultMQProducer(args[2]);
        producer.setNamesrvAddr(ns);
        producer.setInstanceName("keep-producer");
        producer.start();
        for (int i = 0; i < count; i++) {
            Message m = new Message(topic, "TagA", ("keep #" + i).getBytes(StandardCharsets.UTF_8));
            producer.send(m);
        }

        AtomicInteger consumed = new AtomicInteger();
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(args[3]);
        consumer.setNamesrvAddr(ns);
        consumer.setInstanceName("keep-consumer");
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            consumed.addAndGet(msgs.size());
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();

        boolean ready = false;
        while (System.currentTimeMillis() < until) {
            Thread.sleep(1000);
            int n = consumed.get();
            if (!ready && n >= count) {
                ready = true;
                System.out.println("KeepConsuming: ready consumed=" + n);
            } else {
                System.out.println("KeepConsuming: consumed=" + n);
            }
            System.out.flush();
        }
        Runtime.getRuntime().halt(0);
    }
}
