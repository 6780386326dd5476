namespace Peregrine.Domain.Geo;

/// <summary>
/// Parents and children. A parent is the index with the finer digits reset to 7; children are
/// every digit combination below, except that a pentagon's children skip digit 1 (the deleted
/// k-axes subsequence) at the first non-zero position, so a pentagon has 1 + 5·(7ⁿ − 1)/6
/// descendants n levels down.
/// </summary>
internal static class Hierarchy
{
    public static ulong Parent(ulong h, int parentRes)
    {
        int childRes = H3Index.GetResolution(h);
        ulong parent = H3Index.SetResolution(h, parentRes);
        for (int r = parentRes + 1; r <= childRes; r++) parent = H3Index.SetDigit(parent, r, H3Index.InvalidDigit);
        return parent;
    }

    public static long ChildrenSize(ulong h, int childRes)
    {
        int n = childRes - H3Index.GetResolution(h);
        long hexChildren = Pow7(n);
        return H3Index.IsPentagon(h) ? 1 + 5 * (hexChildren - 1) / 6 : hexChildren;
    }

    public static void Children(ulong h, int childRes, ulong[] output)
    {
        int idx = 0;
        Fill(h, H3Index.GetResolution(h), childRes, H3Index.IsPentagon(h), output, ref idx);
    }

    private static void Fill(ulong h, int res, int childRes, bool pentagon, ulong[] output, ref int idx)
    {
        if (res == childRes)
        {
            output[idx++] = h;
            return;
        }

        int next = res + 1;
        ulong child = H3Index.SetResolution(h, next);
        for (int d = 0; d < 7; d++)
        {
            if (pentagon && d == H3Index.KAxesDigit) continue;
            Fill(H3Index.SetDigit(child, next, d), next, childRes, pentagon && d == 0, output, ref idx);
        }
    }

    private static long Pow7(int n)
    {
        long v = 1;
        for (int i = 0; i < n; i++) v *= 7;
        return v;
    }
}
