package dev.parley.core.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.desk.DeskAction.Connect;
import dev.parley.core.desk.DeskAction.HandedBack;
import dev.parley.core.desk.DeskAction.Others;
import dev.parley.core.desk.DeskAction.Place;
import dev.parley.core.desk.DeskAction.Tell;
import dev.parley.core.desk.DeskAction.Why;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The desk's rules, one story each: what every input does, as the actions a driver carries out. */
class DeskTest {

    private final Desk desk = new Desk();

    private List<DeskAction> arrives(String client) {
        return desk.handle(new DeskInput.ClientArrived(client, "conversation " + client));
    }

    private List<DeskAction> leaves(String client) {
        return desk.handle(new DeskInput.ClientLeft(client));
    }

    private List<DeskAction> joins(String operator) {
        return desk.handle(new DeskInput.OperatorJoined(operator, operator.toUpperCase(java.util.Locale.ROOT)));
    }

    private static Connect connect(String operator, String client, int waiting) {
        return new Connect(operator, client, "conversation " + client, waiting);
    }

    @Nested
    class OneOperator {
        @Test
        void theFirstIsTakenAtOnceAndTheOthersWaitEachToldItsPlaceAndTheOperatorTold() {
            joins("o");
            assertEquals(List.of(connect("o", "1", 0)), arrives("1"));
            assertEquals(List.of(new Place("2", 1), new Others("1", 1), new Tell("o", "conversation 2 waits; number 1 in line")),
                    arrives("2"));
            assertEquals(List.of(new Place("3", 2), new Others("1", 2), new Tell("o", "conversation 3 waits; number 2 in line")),
                    arrives("3"));
            assertEquals(List.of(connect("o", "2", 1), new Place("3", 1)), leaves("1"), "the next in line is taken; the one behind moves up");
            assertEquals(List.of(new Others("2", 0)), leaves("3"), "one who waits leaves: the one attended learns no one waits");
            assertEquals(List.of(), leaves("2"));
            assertEquals(Desk.OperatorState.FREE, desk.operatorState("o"));
        }

        @Test
        void clientsWaitForAnOperatorWhoComesLater() {
            assertEquals(List.of(new Place("1", 1)), arrives("1"));
            assertEquals(List.of(new Place("2", 2)), arrives("2"));
            assertEquals(List.of(connect("o", "1", 1), new Place("2", 1)), joins("o"));
        }

        @Test
        void aPassWithNoOtherOperatorTakesTheNextAndTheClientPassedWaitsAtTheFront() {
            joins("o");
            arrives("1");
            arrives("2");
            assertEquals(List.of(new HandedBack("1", "o", Why.PASSED), new Place("1", 1),
                    new Tell("o", "passed conversation 1 back to the front of the line"), connect("o", "2", 1)),
                    desk.handle(new DeskInput.Pass("o")),
                    "no other operator: the one who passed it takes it after the next, never strands it");
            assertEquals(List.of("1"), desk.line());
            assertEquals(List.of(connect("o", "1", 0), new Tell("o", "no other operator is here to take conversation 1: it is yours again")),
                    leaves("2"));
        }

        @Test
        void aPassWithNoOneElseAnywhereGivesTheClientBackAtOnce() {
            joins("o");
            arrives("1");
            assertEquals(List.of(new HandedBack("1", "o", Why.PASSED), new Place("1", 1),
                    new Tell("o", "passed conversation 1 back to the front of the line"),
                    connect("o", "1", 0), new Tell("o", "no other operator is here to take conversation 1: it is yours again")),
                    desk.handle(new DeskInput.Pass("o")));
        }

        @Test
        void anOperatorAwayIsOfferedNobodyAndItsConversationGoesOn() {
            joins("o");
            arrives("1");
            assertEquals(List.of(new Tell("o", "away once this conversation ends: no client is offered to you until /back")),
                    desk.handle(new DeskInput.Away("o")));
            arrives("2");
            assertEquals(Optional.of("1"), desk.clientOf("o"), "the conversation under way goes on");
            assertEquals(List.of(), leaves("1"), "nobody offered");
            assertEquals(Desk.OperatorState.AWAY, desk.operatorState("o"));
            assertEquals(List.of(new Tell("o", "back: clients are offered to you again"), connect("o", "2", 0)),
                    desk.handle(new DeskInput.Back("o")));
        }

        @Test
        void anOperatorWhoLeavesHandsItsClientBackToTheFrontOfTheLine() {
            joins("o");
            arrives("1");
            arrives("2");
            assertEquals(List.of(new HandedBack("1", "o", Why.OPERATOR_LEFT), new Place("1", 1), new Place("2", 2)),
                    desk.handle(new DeskInput.OperatorLeft("o")));
            assertEquals(List.of(connect("p", "1", 1), new Place("2", 1)), joins("p"), "never lost: the next operator takes it first");
        }
    }

    @Nested
    class SeveralOperators {
        @Test
        void firstComeFirstServedAcrossOperatorsTheLongestFreeTakesTheLongestWaiting() {
            arrives("1");
            arrives("2");
            arrives("3");
            joins("a");
            joins("b");
            assertEquals(Optional.of("1"), desk.clientOf("a"));
            assertEquals(Optional.of("2"), desk.clientOf("b"));
            assertEquals(List.of(connect("b", "3", 0), new Others("1", 0)), leaves("2"));
            joins("c");
            arrives("4");
            assertEquals(Optional.of("4"), desk.clientOf("c"));
        }

        @Test
        void aPassedClientGoesToAnotherOperatorFirstAndWaitsForOneWhoIsBusy() {
            joins("a");
            joins("b");
            arrives("1");
            arrives("2");
            assertEquals(List.of(new HandedBack("2", "b", Why.PASSED), new Place("2", 1),
                    new Tell("b", "passed conversation 2 back to the front of the line"), new Others("1", 1)),
                    desk.handle(new DeskInput.Pass("b")),
                    "a is busy, b passed it: it waits for a");
            assertEquals(Desk.OperatorState.FREE, desk.operatorState("b"));
            assertEquals(List.of(connect("b", "3", 1)), arrives("3"), "b takes the next it did not pass, ahead of the one it passed");
            assertEquals(List.of(connect("a", "2", 0), new Others("3", 0)), leaves("1"), "the passed client goes to the other operator");
        }

        @Test
        void aPassedClientComesBackToItsOperatorWhenTheOtherStepsAwayOrLeaves() {
            joins("a");
            joins("b");
            arrives("1");
            arrives("2");
            desk.handle(new DeskInput.Pass("b"));
            List<DeskAction> away = desk.handle(new DeskInput.Away("a"));
            assertTrue(away.contains(connect("b", "2", 0)), "no one else present to take it: " + away);
        }

        @Test
        void anOperatorWhoLeavesHandsItsClientToAnotherFreeOne() {
            joins("a");
            arrives("1");
            joins("b");
            assertEquals(List.of(new HandedBack("1", "a", Why.OPERATOR_LEFT), new Place("1", 1), connect("b", "1", 0)),
                    desk.handle(new DeskInput.OperatorLeft("a")));
        }

        @Test
        void whoSaysWhoWaitsInOrderAndWhereEveryOperatorIs() {
            joins("a");
            joins("b");
            joins("c");
            arrives("1");
            desk.handle(new DeskInput.Away("c"));
            desk.handle(new DeskInput.Away("b"));
            for (int i = 2; i <= 13; i++) {
                arrives(String.valueOf(i));
            }
            assertEquals(List.of(new Tell("b", "12 waiting: conversation 2, conversation 3, conversation 4, conversation 5, conversation 6, "
                    + "conversation 7, conversation 8, conversation 9, conversation 10, conversation 11, and 2 more; "
                    + "operators: A (with conversation 1), B (you, away), C (away)")), desk.handle(new DeskInput.Who("b")));
            assertEquals(List.of(new Tell("a", "12 waiting: conversation 2, conversation 3, conversation 4, conversation 5, conversation 6, "
                    + "conversation 7, conversation 8, conversation 9, conversation 10, conversation 11, and 2 more; "
                    + "operators: A (you, with conversation 1), B (away), C (away)")), desk.handle(new DeskInput.Who("a")));
        }

        @Test
        void whoWithNoOneWaiting() {
            joins("a");
            joins("b");
            arrives("1");
            desk.handle(new DeskInput.Away("a"));
            assertEquals(List.of(new Tell("b", "no one waits; operators: A (away, with conversation 1), B (you, free)")),
                    desk.handle(new DeskInput.Who("b")));
        }
    }
}
