using Wp.Core.Sources;

namespace Wp.Core.Tests.Sources;

public sealed class LineBudgetTests
{
    [Fact]
    public void A_budget_grants_until_spent_and_takes_back_unused_units()
    {
        var budget = new LineBudget(10);

        budget.Take(7).Should().Be(7);
        budget.Take(7).Should().Be(3);
        budget.IsExhausted.Should().BeTrue();
        budget.Return(2);
        budget.Take(5).Should().Be(2);
    }

    [Fact]
    public void A_budget_of_zero_is_unlimited()
    {
        new LineBudget(0).Take(int.MaxValue).Should().Be(int.MaxValue);
    }
}
