"""Talent (青年人才生活资助直兑): people, their protected data, and payments without an application."""
