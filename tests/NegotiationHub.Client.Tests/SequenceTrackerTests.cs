namespace NegotiationHub.Client.Tests;

public sealed class SequenceTrackerTests
{
    private static readonly Guid Session = Guid.NewGuid();
    private static readonly Guid OtherSession = Guid.NewGuid();

    [Fact]
    public void The_first_message_of_a_session_sets_the_baseline()
    {
        var tracker = new SequenceTracker();

        Assert.Equal(SequenceOrder.First, tracker.Observe(Session, 41).Order);
        Assert.Equal(41, tracker.Last(Session));
    }

    [Fact]
    public void Consecutive_numbers_are_in_order()
    {
        var tracker = new SequenceTracker();
        tracker.Reset(Session, 5);

        Assert.Equal((SequenceOrder.Next, 6L), tracker.Observe(Session, 6));
        Assert.Equal((SequenceOrder.Next, 7L), tracker.Observe(Session, 7));
    }

    [Fact]
    public void A_skipped_number_is_a_gap_that_names_the_expected_number_and_moves_on()
    {
        var tracker = new SequenceTracker();
        tracker.Reset(Session, 5);

        Assert.Equal((SequenceOrder.Gap, 6L), tracker.Observe(Session, 9));
        Assert.Equal((SequenceOrder.Next, 10L), tracker.Observe(Session, 10));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(3)]
    public void A_number_at_or_below_the_last_is_stale_and_changes_nothing(long sequence)
    {
        var tracker = new SequenceTracker();
        tracker.Reset(Session, 5);

        Assert.Equal(SequenceOrder.Stale, tracker.Observe(Session, sequence).Order);
        Assert.Equal(5, tracker.Last(Session));
    }

    [Fact]
    public void A_snapshot_resets_the_baseline_even_backwards()
    {
        var tracker = new SequenceTracker();
        tracker.Observe(Session, 8);

        tracker.Reset(Session, 6);

        Assert.Equal((SequenceOrder.Gap, 7L), tracker.Observe(Session, 9));
    }

    [Fact]
    public void Sessions_are_tracked_separately_and_can_be_forgotten()
    {
        var tracker = new SequenceTracker();
        tracker.Reset(Session, 5);
        tracker.Reset(OtherSession, 100);

        tracker.Forget(Session);

        Assert.Null(tracker.Last(Session));
        Assert.Equal(SequenceOrder.First, tracker.Observe(Session, 50).Order);
        Assert.Equal(SequenceOrder.Next, tracker.Observe(OtherSession, 101).Order);
    }
}
