"""The talent app's API (serializers and views), one module per area. Routes are in talent/api_urls.py."""
