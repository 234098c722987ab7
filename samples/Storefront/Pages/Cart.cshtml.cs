using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Storefront.Cart;
using Storefront.Catalog;

namespace Storefront.Pages;

public sealed class CartModel(ProductCatalog catalog) : PageModel
{
    public IReadOnlyList<CartLine> Lines { get; private set; } = [];

    public decimal Total => Lines.Sum(l => l.Total);

    public void OnGet() => Lines = CartCookie.Lines(CartCookie.Read(Request), catalog);

    public IActionResult OnPostAdd(int id)
    {
        if (catalog.Find(id) is null)
        {
            return NotFound();
        }

        CartCookie.Write(Response, [.. CartCookie.Read(Request), id]);
        return RedirectToPage();
    }

    public IActionResult OnPostClear()
    {
        CartCookie.Write(Response, []);
        return RedirectToPage();
    }
}
