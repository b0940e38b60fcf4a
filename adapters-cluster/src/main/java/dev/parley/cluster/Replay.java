package dev.parley.cluster;

import dev.parley.core.desk.DeskInput;
import dev.parley.core.port.DeskReplication.Turn;
import dev.parley.core.session.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shared desk's log read in order, as every replica reads it: which replica has which clients
 * and operators, which replicas are gone, and the desk's inputs each entry stands for. Pure and
 * deterministic (no hash order reaches the output), so replicas reading one log agree.
 *
 * <p>Rules: an entry about a client or an operator counts only from the replica that made its id
 * (no replica speaks for another's); every entry of a replica declared gone is ignored from then
 * on; a replica gone is the first such entry (its clients leave, in the order they arrived, then
 * its operators, in the order they joined: their clients go back to the front of the line); a
 * replica told that it is gone itself learns it ({@link #selfGone}).
 */
final class Replay {

    /** What an entry stands for on the desk: an input, and for a client that left, how. */
    record Applied(DeskInput input, Outcome outcome) {}

    private final String self;
    /** Clients and operators at the desk, in the order they came, with their replica. */
    private final Map<String, String> clients = new LinkedHashMap<>();
    private final Map<String, String> operators = new LinkedHashMap<>();
    private final Set<String> gone = new HashSet<>();
    private boolean selfGone;
    private long ignored;

    /** The log as replica {@code self} reads it. */
    Replay(String self) {
        this.self = self;
    }

    /** The desk's inputs {@code entry} stands for, in order; none for an entry ignored. */
    List<Applied> take(Entry entry) {
        if (gone.contains(entry.origin())) {
            ignored++;
            return List.of();
        }
        if (entry.gone() != null) {
            return declareGone(entry.gone());
        }
        DeskInput input = entry.input();
        String subject = input.subject();
        if (!Turn.replicaOf(subject).equals(entry.origin())) {
            ignored++;
            return List.of();
        }
        switch (input.kind()) {
            case CLIENT_ARRIVED -> clients.put(subject, entry.origin());
            case CLIENT_LEFT -> clients.remove(subject);
            case OPERATOR_JOINED -> operators.put(subject, entry.origin());
            case OPERATOR_LEFT -> operators.remove(subject);
            default -> {
                // a command: the desk's own business
            }
        }
        return List.of(new Applied(input, entry.outcome()));
    }

    private List<Applied> declareGone(String replica) {
        if (!gone.add(replica)) {
            return List.of();
        }
        selfGone |= replica.equals(self);
        List<Applied> out = new ArrayList<>();
        clients.entrySet().removeIf(client -> {
            if (client.getValue().equals(replica)) {
                out.add(new Applied(new DeskInput.ClientLeft(client.getKey()), null));
                return true;
            }
            return false;
        });
        operators.entrySet().removeIf(operator -> {
            if (operator.getValue().equals(replica)) {
                out.add(new Applied(new DeskInput.OperatorLeft(operator.getKey()), null));
                return true;
            }
            return false;
        });
        return out;
    }

    /** Whether this replica was declared gone by the log. */
    boolean selfGone() {
        return selfGone;
    }

    /** The replicas with a client or an operator at the desk now, this one aside, in order. */
    Set<String> others() {
        Set<String> present = new TreeSet<>(clients.values());
        present.addAll(operators.values());
        present.remove(self);
        return present;
    }

    /** Whether {@code replica} was declared gone. */
    boolean isGone(String replica) {
        return gone.contains(replica);
    }

    /** How many entries were ignored (from a replica gone, or about another's ids). */
    long ignored() {
        return ignored;
    }
}
