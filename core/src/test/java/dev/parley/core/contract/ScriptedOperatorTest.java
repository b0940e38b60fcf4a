package dev.parley.core.contract;

import dev.parley.core.Operator;
import dev.parley.core.ScriptedOperator;
import java.util.List;

class ScriptedOperatorTest extends OperatorContract {
    @Override
    protected Operator operatorSaying(List<String> lines) {
        return new ScriptedOperator(lines);
    }
}
