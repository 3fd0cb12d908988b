"""The API's operations, one router per part of the product."""
