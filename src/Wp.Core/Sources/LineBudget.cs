namespace Wp.Core.Sources;

/// <summary>The <c>-n/--max-line</c> cap shared by every source: each line read takes one unit.</summary>
internal sealed class LineBudget
{
    private long _remaining;

    /// <param name="maxLines">0 or less means unlimited.</param>
    public LineBudget(long maxLines) => _remaining = maxLines > 0 ? maxLines : long.MaxValue;

    public bool IsExhausted => Interlocked.Read(ref _remaining) <= 0;

    /// <summary>Gives back units taken but not used.</summary>
    public void Return(int unused) => Interlocked.Add(ref _remaining, unused);

    /// <summary>Takes up to <paramref name="wanted"/> units; returns how many were granted (0 when spent).</summary>
    public int Take(int wanted)
    {
        while (true)
        {
            var remaining = Interlocked.Read(ref _remaining);
            if (remaining <= 0)
            {
                return 0;
            }

            var granted = (int)Math.Min(remaining, wanted);
            if (Interlocked.CompareExchange(ref _remaining, remaining - granted, remaining) == remaining)
            {
                return granted;
            }
        }
    }
}
