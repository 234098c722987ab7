using System.Numerics;

namespace MaintenanceMiddleware;

/// <summary>An inclusive range of addresses as numbers (<see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6).</summary>
internal readonly record struct AddressRange<T>(T Start, T End)
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>The range a network with <paramref name="prefixLength"/> leading bits fixed covers from <paramref name="start"/>.</summary>
    public static AddressRange<T> FromPrefix(T start, int prefixLength, int bits)
    {
        // A shift by the full width is a no-op in C# (the count is masked), so a full-length prefix has no host bits.
        var hostMask = prefixLength >= bits ? T.Zero : T.AllBitsSet >>> prefixLength;
        return new(start & ~hostMask, start | hostMask);
    }

    /// <summary>
    /// Sorts <paramref name="ranges"/> and merges ranges that overlap or touch, so that a lookup is one binary search
    /// over disjoint ranges. Any set of networks compiles to at most as many ranges as it has entries.
    /// </summary>
    public static AddressRange<T>[] Merge(List<AddressRange<T>> ranges)
    {
        if (ranges.Count == 0)
        {
            return [];
        }

        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<AddressRange<T>>(ranges.Count);
        var current = ranges[0];
        for (var i = 1; i < ranges.Count; i++)
        {
            var next = ranges[i];
            // Touching ranges (10.0.0.0/9 and 10.128.0.0/9) merge too; End == MaxValue means nothing can follow.
            if (next.Start <= current.End || next.Start - current.End == T.One)
            {
                if (next.End > current.End)
                {
                    current = current with { End = next.End };
                }
            }
            else
            {
                merged.Add(current);
                current = next;
            }
        }

        merged.Add(current);
        return [.. merged];
    }

    /// <summary>Whether <paramref name="value"/> lies in one of <paramref name="ranges"/> (sorted and disjoint): O(log n), no allocation.</summary>
    public static bool Contains(AddressRange<T>[] ranges, T value)
    {
        var low = 0;
        var high = ranges.Length - 1;
        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            ref readonly var range = ref ranges[middle];
            if (value < range.Start)
            {
                high = middle - 1;
            }
            else if (value > range.End)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
