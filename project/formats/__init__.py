"""The site's own date and time formats (FORMAT_MODULE_PATH), only where it writes a language
differently from Django's locale formats; every other language, Chinese included, is Django's."""
