package dev.parley.core.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The desk over any sequence of inputs, checked against a model built only from its actions (all a
 * driver sees): no client is lost or duplicated, every waiting client was told its right place, the
 * line is first come first served with hand-backs at its front, no client is stranded while a free
 * operator could take it, and the same inputs give the same actions.
 */
class DeskPropertiesTest {

    /** The inputs of one run, each chosen among those legal at that point by a generated number. */
    private static List<DeskInput> inputs(List<Integer> choices) {
        Desk desk = new Desk();
        List<DeskInput> inputs = new ArrayList<>();
        int clients = 0;
        int operators = 0;
        for (int choice : choices) {
            DeskInput input = switch (choice % 10) {
                case 0, 1, 2 -> new DeskInput.ClientArrived("c" + ++clients, "conversation c" + clients);
                case 3, 4 -> pick(present(desk, clients, "c", true), choice / 10).map(DeskInput.ClientLeft::new).orElse(null);
                case 5 -> new DeskInput.OperatorJoined("o" + ++operators, "op" + operators);
                case 6 -> pick(present(desk, operators, "o", false), choice / 10).map(DeskInput.OperatorLeft::new).orElse(null);
                case 7 -> pick(present(desk, operators, "o", false), choice / 10).map(DeskInput.Pass::new).orElse(null);
                case 8 -> pick(present(desk, operators, "o", false), choice / 10).map(DeskInput.Away::new).orElse(null);
                default -> pick(present(desk, operators, "o", false), choice / 10)
                        .map(o -> (DeskInput) (choice % 20 == 9 ? new DeskInput.Back(o) : new DeskInput.Who(o))).orElse(null);
            };
            if (input != null) {
                desk.handle(input);
                inputs.add(input);
            }
        }
        return inputs;
    }

    private static List<String> present(Desk desk, int count, String prefix, boolean clients) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = prefix + i;
            if (clients ? desk.clientState(id) != Desk.ClientState.ABSENT : desk.operatorState(id) != Desk.OperatorState.ABSENT) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static Optional<String> pick(List<String> ids, int index) {
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(index % ids.size()));
    }

    /** What a driver knows from the actions alone. */
    private static final class Model {
        final List<String> line = new ArrayList<>();
        final Set<String> present = new LinkedHashSet<>();
        final Map<String, String> with = new HashMap<>();
        final Map<String, Integer> place = new HashMap<>();
        final Map<String, Integer> others = new HashMap<>();
        final Map<String, String> passedBy = new HashMap<>();
    }

    @Property(tries = 400)
    void noClientIsLostOrDuplicatedEveryPlaceIsRightAndTheLineIsFirstComeFirstServed(
            @ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9_999) Integer> choices) {
        Desk desk = new Desk();
        Model model = new Model();
        for (DeskInput input : inputs(choices)) {
            List<DeskAction> actions = desk.handle(input);
            apply(model, input, actions, desk);
            check(model, desk, input + " -> " + actions);
        }
    }

    @Property(tries = 100)
    void theSameInputsGiveTheSameActions(@ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9_999) Integer> choices) {
        List<DeskInput> inputs = inputs(choices);
        Desk one = new Desk();
        Desk two = new Desk();
        for (DeskInput input : inputs) {
            assertEquals(one.handle(input), two.handle(input), input.toString());
        }
        assertEquals(one.line(), two.line());
    }

    private static void apply(Model model, DeskInput input, List<DeskAction> actions, Desk desk) {
        if (input instanceof DeskInput.ClientArrived arrived) {
            model.line.add(arrived.client());
            model.present.add(arrived.client());
        } else if (input instanceof DeskInput.ClientLeft left) {
            model.line.remove(left.client());
            model.present.remove(left.client());
            model.with.remove(left.client());
            model.passedBy.remove(left.client());
        }
        for (DeskAction action : actions) {
            if (action instanceof DeskAction.Connect connect) {
                assertTrue(model.line.contains(connect.client()), "only a waiting client is connected: " + actions);
                assertTrue(!model.with.containsValue(connect.operator()), "an operator with one client at a time: " + actions);
                int at = model.line.indexOf(connect.client());
                for (String ahead : model.line.subList(0, at)) {
                    assertEquals(connect.operator(), model.passedBy.get(ahead),
                            "first come, first served: only a client it passed is skipped: " + input + " -> " + actions);
                }
                model.line.remove(connect.client());
                model.with.put(connect.client(), connect.operator());
                model.others.put(connect.client(), connect.waiting());
                model.place.remove(connect.client());
                model.passedBy.remove(connect.client());
            } else if (action instanceof DeskAction.HandedBack back) {
                assertEquals(back.operator(), model.with.remove(back.client()), "handed back by the operator it was with");
                model.line.add(0, back.client());
                if (back.why() == DeskAction.Why.PASSED) {
                    model.passedBy.put(back.client(), back.operator());
                }
            } else if (action instanceof DeskAction.Place place) {
                model.place.put(place.client(), place.place());
            } else if (action instanceof DeskAction.Others others) {
                model.others.put(others.client(), others.waiting());
            }
        }
    }

    private static void check(Model model, Desk desk, String where) {
        assertEquals(model.line, desk.line(), "the line: in arrival order, hand-backs at the front: " + where);
        assertEquals(model.line.size(), new LinkedHashSet<>(model.line).size(), "no one twice in line: " + where);
        Set<String> accounted = new LinkedHashSet<>(model.line);
        for (String client : model.with.keySet()) {
            assertTrue(accounted.add(client), "waiting and attended at once: " + client + ", " + where);
        }
        assertEquals(model.present, accounted, "every client that came and did not leave, once: " + where);
        for (int at = 0; at < model.line.size(); at++) {
            String client = model.line.get(at);
            assertEquals(at + 1, model.place.get(client), "the place " + client + " was told: " + where);
            assertEquals(Desk.ClientState.WAITING, desk.clientState(client), where);
        }
        for (Map.Entry<String, String> pair : model.with.entrySet()) {
            assertEquals(Optional.of(pair.getValue()), desk.operatorOf(pair.getKey()), where);
            assertEquals(Optional.of(pair.getKey()), desk.clientOf(pair.getValue()), where);
            assertEquals(desk.waiting(), model.others.get(pair.getKey()), "how many wait, as " + pair.getKey() + " was told: " + where);
        }
        for (String operator : desk.operators()) {
            if (desk.operatorState(operator) != Desk.OperatorState.FREE) {
                continue;
            }
            boolean alone = desk.operators().stream().filter(other -> !other.equals(operator))
                    .map(desk::operatorState).noneMatch(s -> s == Desk.OperatorState.FREE || s == Desk.OperatorState.BUSY);
            for (String client : model.line) {
                assertEquals(operator, model.passedBy.get(client), "a free operator takes any client it did not pass: " + where);
                assertNotEquals(true, alone, "nor one it passed when no one else is there for it: " + where);
            }
        }
    }
}
