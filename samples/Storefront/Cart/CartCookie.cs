using System.Globalization;
using Storefront.Catalog;

namespace Storefront.Cart;

/// <summary>
/// The cart, kept in a cookie as a list of product ids ("1,3,3"). Enough for a sample; a real shop keeps the cart
/// server-side. It shows that a visitor's cart survives a maintenance window: the cookie is untouched by the 503.
/// </summary>
public static class CartCookie
{
    /// <summary>The cookie name.</summary>
    public const string Name = "storefront-cart";

    /// <summary>The product ids in the cart, in the order they were added.</summary>
    public static IReadOnlyList<int> Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Cookies[Name];
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        var ids = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Writes <paramref name="ids"/> back to the cookie.</summary>
    public static void Write(HttpResponse response, IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(response);
        var value = string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        response.Cookies.Append(Name, value, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
    }

    /// <summary>The cart's lines: each product once, with its quantity.</summary>
    public static IReadOnlyList<CartLine> Lines(IReadOnlyList<int> ids, ProductCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(catalog);
        return
        [
            .. ids.GroupBy(id => id)
                .Select(g => catalog.Find(g.Key) is { } product ? new CartLine(product, g.Count()) : null)
                .OfType<CartLine>(),
        ];
    }
}
