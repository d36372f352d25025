// Adds a product card only when the shopper asks, long after the widget has loaded.
document.getElementById('more').addEventListener('click', () => {
  const article = document.createElement('article');
  const heading = document.createElement('h2');
  heading.textContent = 'Linen apron';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Add to cart';
  Object.assign(button.dataset, { kagoAdd: '', sku: 'APRON-009', name: 'Linen apron', price: '27.00', variant: 'Sage' });
  article.append(heading, button);
  document.querySelector('main').append(article);
});
