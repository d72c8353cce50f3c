package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A group member on its own thread: polls in a loop, records every record and every rebalance
 * callback, commits synchronously when partitions are revoked, and can be told to stall (stop
 * polling) or stop (woken up, then closed). Everything it saw is readable from the test thread.
 */
final class GroupWorker implements AutoCloseable {

    record Event(String kind, Set<TopicPartition> partitions) {
    }

    final String name;
    final ConcurrentLinkedQueue<ConsumerRecord<String, String>> records = new ConcurrentLinkedQueue<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final AtomicReference<Set<TopicPartition>> owned = new AtomicReference<>(Set.of());
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final ConcurrentLinkedQueue<Throwable> commitFailures = new ConcurrentLinkedQueue<>();
    private final Consumer<String, String> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile CountDownLatch stall;
    private volatile boolean commitAfterStall;

    GroupWorker(String name, Consumer<String, String> consumer, Collection<String> topics) {
        this.name = name;
        this.consumer = consumer;
        this.thread = new Thread(() -> run(topics), "worker-" + name);
        thread.start();
    }

    private void run(Collection<String> topics) {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    events.add(new Event("revoked", Set.copyOf(partitions)));
                    owned.set(Set.of());
                    consumer.commitSync();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.add(new Event("assigned", Set.copyOf(partitions)));
                    owned.set(Set.copyOf(partitions));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    events.add(new Event("lost", Set.copyOf(partitions)));
                    owned.set(Set.of());
                }
            });
            while (running) {
                CountDownLatch pause = stall;
                if (pause != null) {
                    pause.await();
                    stall = null;
                    if (commitAfterStall) {
                        try {
                            consumer.commitSync();
                        } catch (ConsumerException e) {
                            commitFailures.add(e);
                        }
                    }
                }
                try {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                } catch (WakeupException e) {
                    // stop() woke us
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            consumer.close(Duration.ofSeconds(10));
            stopped.countDown();
        }
    }

    /** Stops polling until the returned latch is counted down; commits first thing after if asked. */
    CountDownLatch stall(boolean commitAfter) {
        CountDownLatch latch = new CountDownLatch(1);
        commitAfterStall = commitAfter;
        stall = latch;
        return latch;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        CountDownLatch pause = stall;
        if (pause != null) {
            pause.countDown();
        }
        consumer.wakeup();
        if (!stopped.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker " + name + " did not stop");
        }
    }
}
