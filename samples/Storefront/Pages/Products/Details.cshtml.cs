using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Storefront.Catalog;

namespace Storefront.Pages.Products;

public sealed class DetailsModel(ProductCatalog catalog) : PageModel
{
    public Product Product { get; private set; } = null!;

    public IActionResult OnGet(int id)
    {
        if (catalog.Find(id) is not { } product)
        {
            return NotFound();
        }

        Product = product;
        return Page();
    }
}
